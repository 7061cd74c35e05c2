import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';

/**
 * Field renames between events.k8s.io/v1 and core/v1 Events, which Kubernetes serves from
 * one storage: [events.k8s.io name, core name].
 */
const RENAMES: ReadonlyArray<readonly [string, string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function rename(
  obj: KubeObject,
  pairs: ReadonlyArray<readonly [string, string]>,
  apiVersion: string,
): KubeObject {
  const out: KubeObject = { ...obj, apiVersion, metadata: obj.metadata };
  for (const [from, to] of pairs) {
    if (from in out) {
      const value = out[from];
      delete out[from];
      if (value !== undefined) out[to] = value;
    }
  }
  return out;
}

/** The core/v1 form of an events.k8s.io/v1 Event. */
export function eventsV1ToCore(obj: KubeObject): KubeObject {
  const out = rename(obj, RENAMES, 'v1');
  if (isPlainObject(out.series)) {
    out.series = { count: out.series.count, lastObservedTime: out.series.lastObservedTime };
  }
  return out;
}

/** The events.k8s.io/v1 form of a core/v1 Event. */
export function coreEventToEventsV1(obj: KubeObject): KubeObject {
  return rename(
    obj,
    RENAMES.map(([a, b]) => [b, a] as const),
    'events.k8s.io/v1',
  );
}
