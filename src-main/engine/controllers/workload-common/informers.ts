import type { ObjectApi } from '../../apiserver/object-api';
import type { GroupVersionResource } from '../../apiserver/registry/types';
import { Informer } from '../runtime/informer';

/** Where a controller gets its informers (the engine's shared informer factory fits). */
export interface InformerSource {
  get(gvr: GroupVersionResource): Informer;
}

const keyOf = (gvr: GroupVersionResource) => `${gvr.group}/${gvr.version}/${gvr.resource}`;

/**
 * The informers one controller reads. Given a shared source it hands those out and leaves
 * starting and stopping them to their owner; otherwise it creates its own, one per resource,
 * and starts and stops them with the controller.
 */
export class InformerSet implements InformerSource {
  private readonly own = new Map<string, Informer>();

  constructor(
    private readonly api: ObjectApi,
    private readonly shared?: InformerSource,
  ) {}

  get(gvr: GroupVersionResource): Informer {
    if (this.shared) return this.shared.get(gvr);
    const key = keyOf(gvr);
    let informer = this.own.get(key);
    if (!informer) {
      informer = new Informer(this.api, gvr);
      this.own.set(key, informer);
    }
    return informer;
  }

  /** Lists and watches the informers this set owns (synchronous with the in-process API). */
  start(): void {
    for (const informer of this.own.values()) informer.start();
  }

  stop(): void {
    for (const informer of this.own.values()) informer.stop();
  }
}
