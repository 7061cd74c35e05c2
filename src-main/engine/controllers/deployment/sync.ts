import type { ObjectApi } from '../../apiserver/object-api';
import type { KubeObject } from '../../k8s-object';
import type { Clock } from '../runtime/clock';
import type { EventRecorder } from '../runtime/event-recorder';
import { formatTime, isAlreadyExists, isNamespaceTerminating, isNotFound } from '../shared/api-helpers';
import { controllerRef, isControlledBy } from '../shared/owners';
import { podPhase } from '../shared/pods';
import { DEPLOYMENTS, REPLICA_SETS } from '../shared/resources';
import {
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  POD_TEMPLATE_HASH,
  REVISION,
  byCreation,
  byRevision,
  computeHash,
  condition,
  deploymentComplete,
  deploymentSpec,
  deploymentStatus,
  findCondition,
  hasProgressDeadline,
  isRollingUpdate,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newReplicaSetAnnotations,
  rsAvailableReplicas,
  rsSpecReplicas,
  rsStatusReplicas,
  rsTemplate,
  setCondition,
  sum,
  templatesEqualIgnoringHash,
} from './helpers';
import type { DeploymentStatus } from './helpers';
import { calculateStatus, compactStatus, msUntilDeadlineCheck, rolloutStatus, sameStatus } from './status';

export interface SyncDeps {
  api: ObjectApi;
  clock: Clock;
  recorder: EventRecorder;
}

const FIELD_MANAGER = 'kube-controller-manager';
const active = (rss: KubeObject[]): KubeObject[] => rss.filter((rs) => rsSpecReplicas(rs) > 0);

/**
 * One sync of one Deployment, as Kubernetes' deployment controller does it (sync.go,
 * rolling.go, recreate.go, progress.go). Holds the latest version of every object it
 * writes, so later steps of the same sync never act on what an earlier step replaced.
 * Writes carry resourceVersions: a stale cache fails with 409 and the sync is retried.
 */
export class DeploymentSync {
  private d: KubeObject;
  private rsList: KubeObject[];
  /** When the progress deadline should be checked again. */
  requeueAfterMs: number | undefined;

  constructor(
    private readonly deps: SyncDeps,
    d: KubeObject,
    rsList: KubeObject[],
    private readonly podsByRs: Map<string, KubeObject[]>,
  ) {
    // Only the Deployment is edited in place; ReplicaSets are copied before every change.
    this.d = structuredClone(d);
    this.rsList = [...rsList];
  }

  private now(): string {
    return formatTime(this.deps.clock.now());
  }

  private get spec() {
    return deploymentSpec(this.d);
  }

  private get desired(): number {
    return this.spec.replicas ?? 1;
  }

  run(): void {
    if (this.d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = this.getAllReplicaSets(false);
      this.syncDeploymentStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS);
      return;
    }
    this.checkPausedConditions();
    if (this.spec.paused || this.isScalingEvent()) {
      this.sync();
      return;
    }
    if (isRollingUpdate(this.d)) this.rolloutRolling();
    else this.rolloutRecreate();
  }

  // ---- writes -------------------------------------------------------------------------

  private replaceRs(rs: KubeObject): KubeObject {
    this.rsList = this.rsList.map((r) => (r.metadata.uid === rs.metadata.uid ? rs : r));
    return rs;
  }

  private updateStatus(status: DeploymentStatus): void {
    this.d = this.deps.api.update(
      DEPLOYMENTS,
      this.d.metadata.namespace,
      { ...this.d, status: compactStatus(status) },
      { subresource: 'status', fieldManager: FIELD_MANAGER },
    );
  }

  /** Scales one ReplicaSet (and refreshes its desired/max annotations); records ScalingReplicaSet. */
  private scaleReplicaSet(
    rs: KubeObject,
    newScale: number,
    operation?: 'up' | 'down',
  ): { scaled: boolean; rs: KubeObject } {
    const oldScale = rsSpecReplicas(rs);
    const desired = String(this.desired);
    const max = String(this.desired + maxSurge(this.d));
    const annotations = rs.metadata.annotations ?? {};
    const sizeChanged = oldScale !== newScale;
    if (!sizeChanged && annotations[DESIRED_REPLICAS] === desired && annotations[MAX_REPLICAS] === max) {
      return { scaled: false, rs };
    }
    const copy = structuredClone(rs);
    copy.spec = { ...(copy.spec as Record<string, unknown>), replicas: newScale };
    copy.metadata.annotations = { ...annotations, [DESIRED_REPLICAS]: desired, [MAX_REPLICAS]: max };
    const updated = this.replaceRs(
      this.deps.api.update(REPLICA_SETS, rs.metadata.namespace, copy, { fieldManager: FIELD_MANAGER }),
    );
    if (sizeChanged) {
      const direction = operation ?? (newScale > oldScale ? 'up' : 'down');
      this.deps.recorder.record(
        this.d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${direction} replica set ${rs.metadata.name} to ${newScale} from ${oldScale}`,
      );
    }
    return { scaled: sizeChanged, rs: updated };
  }

  // ---- new and old ReplicaSets -------------------------------------------------------

  private findNewReplicaSet(): KubeObject | undefined {
    const template = this.spec.template ?? {};
    return [...this.rsList]
      .sort(byCreation)
      .find((rs) => templatesEqualIgnoringHash(rsTemplate(rs), template));
  }

  /** Kubernetes' getAllReplicaSetsAndSyncRevision. */
  private getAllReplicaSets(createIfMissing: boolean): {
    newRS: KubeObject | undefined;
    oldRSs: KubeObject[];
  } {
    const existing = this.findNewReplicaSet();
    const oldRSs = this.rsList.filter((rs) => rs !== existing);
    const newRS = this.getNewReplicaSet(existing, oldRSs, createIfMissing);
    return { newRS, oldRSs: this.rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid) };
  }

  private setRevision(revision: string): boolean {
    if (this.d.metadata.annotations?.[REVISION] === revision) return false;
    this.d.metadata.annotations = { ...(this.d.metadata.annotations ?? {}), [REVISION]: revision };
    return true;
  }

  private getNewReplicaSet(
    existing: KubeObject | undefined,
    oldRSs: KubeObject[],
    createIfMissing: boolean,
  ): KubeObject | undefined {
    const newRevision = maxRevision(oldRSs) + 1;
    const status = structuredClone(deploymentStatus(this.d));
    if (existing) {
      let rs = existing;
      const annotations = newReplicaSetAnnotations(this.d, rs, newRevision, true);
      const minReady = this.spec.minReadySeconds ?? 0;
      const rsSpec = rs.spec as Record<string, unknown>;
      if (
        JSON.stringify(annotations) !== JSON.stringify(rs.metadata.annotations ?? {}) ||
        (rsSpec.minReadySeconds ?? 0) !== minReady
      ) {
        const copy = structuredClone(rs);
        copy.metadata.annotations = annotations;
        copy.spec = { ...(copy.spec as Record<string, unknown>), minReadySeconds: minReady };
        rs = this.replaceRs(
          this.deps.api.update(REPLICA_SETS, rs.metadata.namespace, copy, { fieldManager: FIELD_MANAGER }),
        );
      }
      let needsUpdate = this.setRevision(rs.metadata.annotations?.[REVISION] ?? '');
      if (hasProgressDeadline(this.d) && !findCondition(status, 'Progressing')) {
        setCondition(
          status,
          condition(
            'Progressing',
            'True',
            'FoundNewReplicaSet',
            `Found new replica set "${rs.metadata.name}"`,
            this.now(),
          ),
        );
        needsUpdate = true;
      }
      if (needsUpdate) this.updateStatus(status);
      return rs;
    }
    if (!createIfMissing) return undefined;

    const template = structuredClone(this.spec.template ?? {});
    const hash = computeHash(template, status.collisionCount);
    template.metadata = {
      ...(template.metadata ?? {}),
      labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash },
    };
    const selector = structuredClone(this.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const name = `${this.d.metadata.name}-${hash}`;
    const draft: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: this.d.metadata.namespace,
        labels: template.metadata.labels,
        ownerReferences: [controllerRef(this.d, 'apps/v1', 'Deployment')],
      },
      spec: { replicas: 0, minReadySeconds: this.spec.minReadySeconds ?? 0, selector, template },
    };
    const replicas = this.newRSNewReplicas([...oldRSs, draft], draft);
    (draft.spec as Record<string, unknown>).replicas = replicas;
    draft.metadata.annotations = newReplicaSetAnnotations(this.d, draft, newRevision, false);

    let created: KubeObject;
    let alreadyExisted = false;
    try {
      created = this.deps.api.create(REPLICA_SETS, this.d.metadata.namespace, draft, {
        fieldManager: FIELD_MANAGER,
      });
    } catch (error) {
      if (isNamespaceTerminating(error)) throw error;
      if (!isAlreadyExists(error)) {
        const message = `Failed to create new replica set "${name}": ${error instanceof Error ? error.message : String(error)}`;
        if (hasProgressDeadline(this.d)) {
          setCondition(
            status,
            condition('Progressing', 'False', 'ReplicaSetCreateError', message, this.now()),
          );
          this.updateStatus(status);
        }
        this.deps.recorder.record(this.d, 'Warning', 'ReplicaSetCreateError', message);
        throw error;
      }
      const found = this.deps.api.get(REPLICA_SETS, this.d.metadata.namespace, name);
      if (
        !isControlledBy(found, this.d.metadata.uid) ||
        !templatesEqualIgnoringHash(rsTemplate(found), this.spec.template ?? {})
      ) {
        // A hash collision with a foreign ReplicaSet: a new collision count gives a new name.
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        this.updateStatus(status);
        throw error;
      }
      created = found;
      alreadyExisted = true;
    }
    this.rsList.push(created);
    if (!alreadyExisted && replicas > 0) {
      this.deps.recorder.record(
        this.d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${name} to ${replicas}`,
      );
    }
    let needsUpdate = this.setRevision(String(newRevision));
    if (!alreadyExisted && hasProgressDeadline(this.d)) {
      setCondition(
        status,
        condition(
          'Progressing',
          'True',
          'NewReplicaSetCreated',
          `Created new replica set "${name}"`,
          this.now(),
        ),
      );
      needsUpdate = true;
    }
    if (needsUpdate) this.updateStatus(status);
    return created;
  }

  /** Kubernetes' NewRSNewReplicas: how big the new ReplicaSet may be right now. */
  private newRSNewReplicas(allRSs: KubeObject[], newRS: KubeObject): number {
    if (!isRollingUpdate(this.d)) return this.desired;
    const current = sum(allRSs, rsSpecReplicas);
    const maxTotal = this.desired + maxSurge(this.d);
    const newReplicas = rsSpecReplicas(newRS);
    if (current >= maxTotal) return newReplicas;
    return newReplicas + Math.min(maxTotal - current, this.desired - newReplicas);
  }

  // ---- scaling (paused deployments and `kubectl scale`) -------------------------------

  private isScalingEvent(): boolean {
    const { newRS, oldRSs } = this.getAllReplicaSets(false);
    for (const rs of active([...(newRS ? [newRS] : []), ...oldRSs])) {
      const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
      if (desired !== undefined && Number.parseInt(desired, 10) !== this.desired) return true;
    }
    return false;
  }

  private sync(): void {
    const { newRS, oldRSs } = this.getAllReplicaSets(false);
    this.scale(newRS, oldRSs);
    const latestNew = newRS ? this.rsList.find((rs) => rs.metadata.uid === newRS.metadata.uid) : undefined;
    const latestOld = this.rsList.filter((rs) => rs.metadata.uid !== latestNew?.metadata.uid);
    if (this.spec.paused) this.cleanup(latestOld);
    this.syncDeploymentStatus(this.rsList, latestNew);
  }

  /** Kubernetes' scale: one active ReplicaSet takes the new size; several share it proportionally. */
  private scale(newRS: KubeObject | undefined, oldRSs: KubeObject[]): void {
    const only = this.activeOrLatest(newRS, oldRSs);
    if (only) {
      if (rsSpecReplicas(only) !== this.desired) this.scaleReplicaSet(only, this.desired);
      return;
    }
    if (newRS && this.isSaturated(newRS)) {
      for (const old of active(oldRSs)) this.scaleReplicaSet(old, 0);
      return;
    }
    if (!isRollingUpdate(this.d)) return;
    const all = active([...(newRS ? [newRS] : []), ...oldRSs]);
    const allowed = this.desired > 0 ? this.desired + maxSurge(this.d) : 0;
    const toAdd = allowed - sum(all, rsSpecReplicas);
    if (toAdd > 0) all.sort((a, b) => rsSpecReplicas(b) - rsSpecReplicas(a) || byCreation(b, a));
    else if (toAdd < 0) all.sort((a, b) => rsSpecReplicas(b) - rsSpecReplicas(a) || byCreation(a, b));
    let added = 0;
    const sizes = all.map((rs) => {
      if (toAdd === 0) return rsSpecReplicas(rs);
      const proportion = this.proportion(rs, toAdd, added);
      added += proportion;
      return rsSpecReplicas(rs) + proportion;
    });
    // Proportional scaling names one direction for every ReplicaSet it touches, as Kubernetes does.
    const operation = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : undefined;
    all.forEach((rs, i) => {
      let size = sizes[i];
      if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
      this.scaleReplicaSet(rs, size, operation);
    });
  }

  private activeOrLatest(newRS: KubeObject | undefined, oldRSs: KubeObject[]): KubeObject | undefined {
    if (!newRS && oldRSs.length === 0) return undefined;
    const sortedOld = [...oldRSs].sort((a, b) => byCreation(b, a));
    const all = active([...oldRSs, ...(newRS ? [newRS] : [])]);
    if (all.length === 0) return newRS ?? sortedOld[0];
    if (all.length === 1) return all[0];
    return undefined;
  }

  private isSaturated(rs: KubeObject): boolean {
    const desired = Number.parseInt(rs.metadata.annotations?.[DESIRED_REPLICAS] ?? '', 10);
    return (
      desired === this.desired &&
      rsAvailableReplicas(rs) === this.desired &&
      rsSpecReplicas(rs) === this.desired
    );
  }

  private proportion(rs: KubeObject, toAdd: number, added: number): number {
    const replicas = rsSpecReplicas(rs);
    if (replicas === 0 || toAdd === 0 || toAdd === added) return 0;
    let fraction: number;
    if (this.desired === 0) fraction = -replicas;
    else {
      const deploymentReplicas = this.desired + maxSurge(this.d);
      const annotated = Number.parseInt(rs.metadata.annotations?.[MAX_REPLICAS] ?? '', 10);
      const base = Number.isFinite(annotated) ? annotated : (deploymentStatus(this.d).replicas ?? 0);
      fraction = base > 0 ? Math.round((replicas * deploymentReplicas) / base) - replicas : 0;
    }
    const allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  // ---- rollouts ------------------------------------------------------------------------

  private rolloutRolling(): void {
    let { newRS, oldRSs } = this.getAllReplicaSets(true);
    if (newRS && this.reconcileNewReplicaSet(newRS)) {
      this.syncRolloutStatus();
      return;
    }
    newRS = this.latest(newRS);
    oldRSs = this.rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
    if (this.reconcileOldReplicaSets(newRS, oldRSs)) {
      this.syncRolloutStatus();
      return;
    }
    if (deploymentComplete(this.d, deploymentStatus(this.d))) this.cleanup(oldRSs);
    this.syncRolloutStatus();
  }

  private latest(rs: KubeObject | undefined): KubeObject | undefined {
    return rs ? this.rsList.find((r) => r.metadata.uid === rs.metadata.uid) : undefined;
  }

  private reconcileNewReplicaSet(newRS: KubeObject): boolean {
    const current = rsSpecReplicas(newRS);
    if (current === this.desired) return false;
    if (current > this.desired) return this.scaleReplicaSet(newRS, this.desired).scaled;
    const target = this.newRSNewReplicas(this.rsList, newRS);
    return this.scaleReplicaSet(newRS, target).scaled;
  }

  /** Kubernetes' reconcileOldReplicaSets: scale old ReplicaSets down within maxUnavailable. */
  private reconcileOldReplicaSets(newRS: KubeObject | undefined, oldRSs: KubeObject[]): boolean {
    const oldActive = active(oldRSs);
    if (sum(oldActive, rsSpecReplicas) === 0) return false;
    const allPods = sum(this.rsList, rsSpecReplicas);
    const minAvailable = this.desired - maxUnavailable(this.d);
    const newUnavailable = newRS ? rsSpecReplicas(newRS) - rsAvailableReplicas(newRS) : 0;
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;

    // First the old pods that are not available anyway: removing them costs no availability.
    let cleaned = 0;
    for (const rs of [...oldActive].sort(byCreation)) {
      if (cleaned >= maxScaledDown) break;
      const replicas = rsSpecReplicas(rs);
      const available = rsAvailableReplicas(rs);
      if (replicas === 0 || replicas <= available) continue;
      const count = Math.min(maxScaledDown - cleaned, replicas - available);
      this.scaleReplicaSet(rs, replicas - count);
      cleaned += count;
    }

    const availablePods = sum(this.rsList, rsAvailableReplicas);
    let scaledDown = 0;
    if (availablePods > minAvailable) {
      const total = availablePods - minAvailable;
      const olds = this.rsList.filter(
        (rs) => rs.metadata.uid !== newRS?.metadata.uid && rsSpecReplicas(rs) > 0,
      );
      for (const rs of olds.sort(byCreation)) {
        if (scaledDown >= total) break;
        const replicas = rsSpecReplicas(rs);
        const count = Math.min(replicas, total - scaledDown);
        this.scaleReplicaSet(rs, replicas - count);
        scaledDown += count;
      }
    }
    return cleaned + scaledDown > 0;
  }

  private rolloutRecreate(): void {
    let { newRS, oldRSs } = this.getAllReplicaSets(false);
    let scaledDown = false;
    for (const rs of active(oldRSs)) if (this.scaleReplicaSet(rs, 0).scaled) scaledDown = true;
    if (scaledDown) {
      this.syncRolloutStatus();
      return;
    }
    if (this.oldPodsRunning(newRS, oldRSs)) {
      this.syncRolloutStatus();
      return;
    }
    if (!newRS) ({ newRS, oldRSs } = this.getAllReplicaSets(true));
    if (newRS) this.scaleReplicaSet(this.latest(newRS) ?? newRS, this.desired);
    if (deploymentComplete(this.d, deploymentStatus(this.d))) this.cleanup(oldRSs);
    this.syncRolloutStatus();
  }

  /** Old pods still exist (terminating ones included): Recreate waits for them. */
  private oldPodsRunning(newRS: KubeObject | undefined, oldRSs: KubeObject[]): boolean {
    if (sum(oldRSs, rsStatusReplicas) > 0) return true;
    for (const rs of oldRSs) {
      if (rs.metadata.uid === newRS?.metadata.uid) continue;
      for (const pod of this.podsByRs.get(rs.metadata.uid ?? '') ?? []) {
        const phase = podPhase(pod);
        if (phase !== 'Failed' && phase !== 'Succeeded') return true;
      }
    }
    return false;
  }

  /** Kubernetes' cleanupDeployment: old, empty ReplicaSets beyond revisionHistoryLimit go. */
  private cleanup(oldRSs: KubeObject[]): void {
    const limit = this.spec.revisionHistoryLimit;
    if (limit === undefined) return;
    const cleanable = oldRSs
      .map((rs) => this.latest(rs) ?? rs)
      .filter((rs) => !rs.metadata.deletionTimestamp)
      .sort(byRevision);
    const diff = cleanable.length - limit;
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i];
      const status = (rs.status ?? {}) as { observedGeneration?: number };
      if (rsStatusReplicas(rs) !== 0 || rsSpecReplicas(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 1) > (status.observedGeneration ?? 0)) continue;
      try {
        this.deps.api.delete(REPLICA_SETS, rs.metadata.namespace, rs.metadata.name ?? '', {});
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }

  // ---- status ---------------------------------------------------------------------------

  private checkPausedConditions(): void {
    if (!hasProgressDeadline(this.d)) return;
    const status = structuredClone(deploymentStatus(this.d));
    const current = findCondition(status, 'Progressing');
    if (current?.reason === 'ProgressDeadlineExceeded') return;
    const pausedShown = current?.reason === 'DeploymentPaused';
    if (this.spec.paused && !pausedShown) {
      setCondition(
        status,
        condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', this.now()),
      );
    } else if (!this.spec.paused && pausedShown) {
      setCondition(
        status,
        condition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', this.now()),
      );
    } else {
      return;
    }
    this.updateStatus(status);
  }

  private syncDeploymentStatus(allRSs: KubeObject[], newRS: KubeObject | undefined): void {
    const status = calculateStatus(this.d, allRSs, newRS, this.now());
    if (!sameStatus(status, deploymentStatus(this.d))) this.updateStatus(status);
  }

  private syncRolloutStatus(): void {
    const newRS = this.findNewReplicaSet();
    const nowDate = this.deps.clock.now();
    const status = rolloutStatus(this.d, this.rsList, newRS, nowDate, this.now());
    if (!sameStatus(status, deploymentStatus(this.d))) this.updateStatus(status);
    this.requeueAfterMs = msUntilDeadlineCheck(this.d, status, nowDate);
  }
}
