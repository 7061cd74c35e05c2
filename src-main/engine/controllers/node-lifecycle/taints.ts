import type { KubeObject } from '../../k8s-object';
import {
  nodeReadyStatus,
  nodeTaints,
  podTolerations,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE,
  toleratesTaint,
} from '../../scheduler/predicates';
import type { Taint } from '../../scheduler/predicates';
import { rec } from '../workload-common/pods';
import { formatTime } from '../shared/api-helpers';

/** What the DefaultTolerationSeconds admission gives pods for not-ready/unreachable nodes. */
export const DEFAULT_TOLERATION_SECONDS = 300;

const MANAGED = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE]);

/**
 * The node's taints with the condition taints brought up to date: not-ready (Ready=False)
 * or unreachable (Ready=Unknown) with NoSchedule and NoExecute, and unschedulable
 * (cordoned) with NoSchedule. Other taints are kept; NoExecute taints keep their timeAdded.
 */
export function desiredTaints(node: KubeObject, now: Date): Taint[] {
  const current = nodeTaints(node);
  const wanted: Array<{ key: string; effect: string }> = [];
  const ready = nodeReadyStatus(node);
  if (ready === 'False')
    wanted.push(
      { key: TAINT_NOT_READY, effect: 'NoSchedule' },
      { key: TAINT_NOT_READY, effect: 'NoExecute' },
    );
  if (ready === 'Unknown' || ready === undefined) {
    wanted.push(
      { key: TAINT_UNREACHABLE, effect: 'NoSchedule' },
      { key: TAINT_UNREACHABLE, effect: 'NoExecute' },
    );
  }
  if (rec(node.spec).unschedulable === true) wanted.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  const kept = current.filter(
    (t) => !MANAGED.has(t.key) || wanted.some((w) => w.key === t.key && w.effect === t.effect),
  );
  for (const w of wanted) {
    if (kept.some((t) => t.key === w.key && t.effect === w.effect)) continue;
    kept.push(w.effect === 'NoExecute' ? { ...w, timeAdded: formatTime(now) } : { ...w });
  }
  return kept;
}

/**
 * When a pod on a node with these NoExecute taints must go: `0` now (a taint it does not
 * tolerate), a time in ms since the epoch (the shortest tolerationSeconds after the taint
 * was added), or undefined (tolerated for ever). Pods lacking a toleration for the
 * not-ready/unreachable taints get the 300 s DefaultTolerationSeconds would have given them.
 */
export function evictionTime(pod: KubeObject, taints: Taint[], now: Date): number | undefined {
  const tolerations = podTolerations(pod);
  let at: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : now.getTime();
    const matching = tolerations.filter((t) => toleratesTaint(t, taint));
    let seconds: number | undefined;
    if (matching.length === 0) {
      if (taint.key !== TAINT_NOT_READY && taint.key !== TAINT_UNREACHABLE) return 0;
      seconds = DEFAULT_TOLERATION_SECONDS;
    } else {
      const bounded = matching
        .map((t) => t.tolerationSeconds)
        .filter((s): s is number => typeof s === 'number');
      // A matching toleration without tolerationSeconds tolerates the taint for ever.
      if (bounded.length < matching.length) continue;
      seconds = Math.max(0, Math.min(...bounded));
    }
    const due = added + seconds * 1000;
    at = at === undefined ? due : Math.min(at, due);
  }
  return at;
}
