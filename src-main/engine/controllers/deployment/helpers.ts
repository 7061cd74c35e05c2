import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import { canonicalJson, fnv32a, safeEncodeString } from '../shared/hashing';

export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Annotations a Deployment keeps to itself (Kubernetes' annotationsToSkip). */
const SKIPPED_ANNOTATIONS = new Set([
  LAST_APPLIED,
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  ROLLBACK_TO,
]);

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: unknown;
  [k: string]: unknown;
}

export interface DeploymentSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  template?: PodTemplate;
  strategy?: {
    type?: string;
    rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
  };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

export interface Condition {
  type: string;
  status: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
  collisionCount?: number;
}

export function deploymentSpec(d: KubeObject): DeploymentSpec {
  return (isPlainObject(d.spec) ? d.spec : {}) as DeploymentSpec;
}

export function deploymentStatus(d: KubeObject): DeploymentStatus {
  return (isPlainObject(d.status) ? d.status : {}) as DeploymentStatus;
}

export function rsSpecReplicas(rs: KubeObject): number {
  const spec = isPlainObject(rs.spec) ? rs.spec : {};
  return typeof spec.replicas === 'number' ? spec.replicas : 1;
}

function rsStatusNumber(rs: KubeObject, field: string): number {
  const status = isPlainObject(rs.status) ? rs.status : {};
  return typeof status[field] === 'number' ? status[field] : 0;
}

export const rsStatusReplicas = (rs: KubeObject): number => rsStatusNumber(rs, 'replicas');
export const rsReadyReplicas = (rs: KubeObject): number => rsStatusNumber(rs, 'readyReplicas');
export const rsAvailableReplicas = (rs: KubeObject): number => rsStatusNumber(rs, 'availableReplicas');

export function rsTemplate(rs: KubeObject): PodTemplate {
  const spec = isPlainObject(rs.spec) ? rs.spec : {};
  return (isPlainObject(spec.template) ? spec.template : {}) as PodTemplate;
}

export const sum = (rss: KubeObject[], f: (rs: KubeObject) => number): number =>
  rss.reduce((n, rs) => n + f(rs), 0);

/** A template without the pod-template-hash label (and without an empty label map). */
function withoutHash(template: PodTemplate): PodTemplate {
  const copy = structuredClone(template);
  const labels = copy.metadata?.labels;
  if (labels) {
    delete labels[POD_TEMPLATE_HASH];
    if (Object.keys(labels).length === 0) delete copy.metadata?.labels;
  }
  return copy;
}

const canonicalTemplates = new WeakMap<object, string>();

/** The canonical JSON of a template without its hash label, memoised per (never mutated) template object. */
function canonicalTemplate(template: PodTemplate): string {
  let text = canonicalTemplates.get(template);
  if (text === undefined) {
    text = canonicalJson(withoutHash(template));
    canonicalTemplates.set(template, text);
  }
  return text;
}

/** Kubernetes' EqualIgnoreHash: the templates are equal apart from the pod-template-hash label. */
export function templatesEqualIgnoringHash(a: PodTemplate, b: PodTemplate): boolean {
  return canonicalTemplate(a) === canonicalTemplate(b);
}

/**
 * The pod-template-hash of a template, like Kubernetes' ComputeHash: a 32-bit FNV-1a of the
 * template (plus the collision count, little-endian), printed in decimal and encoded into
 * the name alphabet, so it is stable and safe in names and labels.
 */
export function computeHash(template: PodTemplate, collisionCount?: number): string {
  const text = new TextEncoder().encode(canonicalJson(withoutHash(template)));
  let bytes: Uint8Array = text;
  if (collisionCount !== undefined) {
    bytes = new Uint8Array(text.length + 8);
    bytes.set(text);
    new DataView(bytes.buffer).setUint32(text.length, collisionCount >>> 0, true);
  }
  return safeEncodeString(String(fnv32a(bytes)));
}

function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) {
    const percent = Number.parseInt(value.slice(0, -1), 10);
    if (!Number.isFinite(percent)) return 0;
    const exact = (percent * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return 0;
}

export function isRollingUpdate(d: KubeObject): boolean {
  return deploymentSpec(d).strategy?.type !== 'Recreate';
}

/** Kubernetes' ResolveFenceposts: surge rounds up, unavailable rounds down, never both zero. */
export function resolveFenceposts(d: KubeObject): { surge: number; unavailable: number } {
  const spec = deploymentSpec(d);
  const desired = spec.replicas ?? 1;
  const rolling = spec.strategy?.rollingUpdate ?? {};
  const surge = scaledValue(rolling.maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(rolling.maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: KubeObject): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0;
}

/** Kubernetes' MaxUnavailable: capped at the desired replicas; 0 for Recreate. */
export function maxUnavailable(d: KubeObject): number {
  const desired = deploymentSpec(d).replicas ?? 1;
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, desired);
}

export function revisionOf(obj: KubeObject): number {
  const value = Number.parseInt(obj.metadata.annotations?.[REVISION] ?? '', 10);
  return Number.isFinite(value) ? value : 0;
}

export function maxRevision(rss: KubeObject[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

function creationTime(obj: KubeObject): number {
  const t = obj.metadata.creationTimestamp;
  return t instanceof Date ? t.getTime() : typeof t === 'string' ? Date.parse(t) : 0;
}

/** Oldest first, name as tie-breaker (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const d = creationTime(a) - creationTime(b);
  return d !== 0 ? d : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** Oldest revision first (ReplicaSetsByRevision). */
export function byRevision(a: KubeObject, b: KubeObject): number {
  const d = revisionOf(a) - revisionOf(b);
  return d !== 0 ? d : byCreation(a, b);
}

/** The Deployment's annotations that ReplicaSets carry (change-cause and the user's own). */
export function copiedAnnotations(d: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {}))
    if (!SKIPPED_ANNOTATIONS.has(k)) out[k] = v;
  return out;
}

/** Kubernetes keeps revision-history under this many characters, dropping the oldest entries. */
const MAX_REVISION_HISTORY_CHARS = 2000;

/**
 * Kubernetes' SetNewReplicaSetAnnotations: the Deployment's annotations; the new revision
 * when it is higher (the old one then moves to revision-history, which is what a rollback
 * leaves behind); desired/max replicas only on a ReplicaSet about to be created (scaling
 * keeps them current afterwards). Returns the new map.
 */
export function newReplicaSetAnnotations(
  d: KubeObject,
  rs: KubeObject,
  newRevision: number,
  exists: boolean,
): Record<string, string> {
  const annotations: Record<string, string> = { ...(rs.metadata.annotations ?? {}), ...copiedAnnotations(d) };
  const oldRevision = rs.metadata.annotations?.[REVISION];
  const oldRevisionNumber = oldRevision ? Number.parseInt(oldRevision, 10) : 0;
  if (Number.isFinite(oldRevisionNumber) && oldRevisionNumber < newRevision) {
    annotations[REVISION] = String(newRevision);
    if (oldRevision) {
      const history = annotations[REVISION_HISTORY];
      if (!history) {
        annotations[REVISION_HISTORY] = oldRevision;
      } else {
        const entries = history.split(',');
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > MAX_REVISION_HISTORY_CHARS && start < entries.length) {
          total -= entries[start].length + 1;
          start++;
        }
        if (total <= MAX_REVISION_HISTORY_CHARS) {
          annotations[REVISION_HISTORY] = [...entries.slice(start), oldRevision].join(',');
        }
      }
    }
  }
  if (!exists) {
    annotations[DESIRED_REPLICAS] = String(deploymentSpec(d).replicas ?? 1);
    annotations[MAX_REPLICAS] = String((deploymentSpec(d).replicas ?? 1) + maxSurge(d));
  }
  return annotations;
}

export function findCondition(status: DeploymentStatus, type: string): Condition | undefined {
  return status.conditions?.find((c) => c.type === type);
}

/**
 * Kubernetes' SetDeploymentCondition: the same status and reason change nothing; the same
 * status keeps its lastTransitionTime.
 */
export function setCondition(status: DeploymentStatus, condition: Condition): void {
  const current = findCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  if (status.conditions) status.conditions = status.conditions.filter((c) => c.type !== type);
}

export function condition(
  type: string,
  status: string,
  reason: string,
  message: string,
  now: string,
): Condition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function hasProgressDeadline(d: KubeObject): boolean {
  const seconds = deploymentSpec(d).progressDeadlineSeconds;
  return seconds !== undefined && seconds !== 2147483647;
}

/** Kubernetes' DeploymentComplete. */
export function deploymentComplete(d: KubeObject, status: DeploymentStatus): boolean {
  const desired = deploymentSpec(d).replicas ?? 1;
  return (
    (status.updatedReplicas ?? 0) === desired &&
    (status.replicas ?? 0) === desired &&
    (status.availableReplicas ?? 0) === desired &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 1)
  );
}

/** Kubernetes' DeploymentProgressing: any step forward since the recorded status. */
export function deploymentProgressing(d: KubeObject, next: DeploymentStatus): boolean {
  const old = deploymentStatus(d);
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** Kubernetes' DeploymentTimedOut: no progress recorded within progressDeadlineSeconds. */
export function deploymentTimedOut(d: KubeObject, status: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const progressing = findCondition(status, 'Progressing');
  if (!progressing) return false;
  if (progressing.reason === 'NewReplicaSetAvailable') return false;
  if (progressing.reason === 'ProgressDeadlineExceeded') return true;
  const from = Date.parse(progressing.lastUpdateTime ?? '');
  const deadline = (deploymentSpec(d).progressDeadlineSeconds ?? 600) * 1000;
  return Number.isFinite(from) && from + deadline < now.getTime();
}
