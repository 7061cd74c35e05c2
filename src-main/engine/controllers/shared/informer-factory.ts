import type { ObjectApi } from '../../apiserver/object-api';
import type { GroupVersionResource } from '../../apiserver/registry/types';
import { Informer } from '../runtime/informer';
import { gvrKey } from './resources';

/**
 * One informer per resource, shared by every controller that reads it (as client-go's
 * SharedInformerFactory), so each resource is listed and watched once.
 */
export class InformerFactory {
  private readonly informers = new Map<string, Informer>();
  private started = false;

  constructor(private readonly api: ObjectApi) {}

  /** The shared informer of `gvr`; started at once when the factory already runs. */
  get(gvr: GroupVersionResource): Informer {
    const key = gvrKey(gvr);
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer(this.api, gvr);
      this.informers.set(key, informer);
      if (this.started) informer.start();
    }
    return informer;
  }

  start(): void {
    this.started = true;
    for (const informer of this.informers.values()) if (!informer.hasSynced()) informer.start();
  }

  stop(): void {
    this.started = false;
    for (const informer of this.informers.values()) informer.stop();
  }
}
