import type { ResourceDefinition } from '../../apiserver/registry/types';
import { isPlainObject } from '../../k8s-object';
import type { KubeObject } from '../../k8s-object';
import { Controller } from '../runtime/controller';
import type { ReconcileResult } from '../runtime/controller';
import { formatTime, ignoreNotFound, isNotFound } from '../shared/api-helpers';
import { reportErrors } from '../shared/context';
import type { ControllerContext, RunningController } from '../shared/context';
import { NAMESPACES, uniqueResources } from '../shared/resources';

/** The finalizer this controller owns on every namespace. */
const KUBERNETES_FINALIZER = 'kubernetes';
/** How often a terminating namespace with content left is looked at again. */
const RECHECK_MS = 1000;

export interface NamespaceControllerOptions extends ControllerContext {
  /** Every resource type of the API (the registry's list). */
  resources: readonly ResourceDefinition[];
}

interface NamespaceCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

/**
 * Kubernetes' namespace controller: a namespace being deleted (phase Terminating) has every
 * namespaced object in it deleted, reports progress in its conditions
 * (NamespaceContentRemaining, NamespaceFinalizersRemaining, …), and once empty loses the
 * `kubernetes` finalizer, which lets the API server remove it.
 */
export function startNamespaceController(options: NamespaceControllerOptions): RunningController {
  const { api, clock } = options;
  const namespaces = options.informers.get(NAMESPACES);
  const kinds = uniqueResources(options.resources).filter(
    (def) => def.namespaced && ['list', 'delete'].every((v) => def.verbs.includes(v)),
  );

  const controller = new Controller({
    name: 'namespace',
    clock,
    workers: 2,
    reconcile: (key) => reconcile(key),
    onError: reportErrors(options, 'namespace'),
  });
  namespaces.addHandlers({
    add: (ns) => {
      if (ns.metadata.deletionTimestamp) controller.enqueue(ns.metadata.name ?? '');
    },
    update: (_old, ns) => {
      if (ns.metadata.deletionTimestamp) controller.enqueue(ns.metadata.name ?? '');
    },
  });

  const reconcile = (name: string): ReconcileResult | void => {
    const ns = namespaces.get(name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    const failures: string[] = [];
    for (const def of kinds) {
      const gvr = { group: def.group, version: def.version, resource: def.plural };
      const resource = `${def.plural}.${def.group}`;
      let items: KubeObject[];
      try {
        items = api.list(gvr, { namespace: name }).items;
      } catch (error) {
        failures.push(`${resource}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      for (const item of items) {
        if (item.metadata.deletionTimestamp) continue;
        try {
          api.delete(gvr, name, item.metadata.name ?? '', { propagationPolicy: 'Background' });
        } catch (error) {
          if (!isNotFound(error))
            failures.push(`${resource}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const left = items.length > 0 ? api.list(gvr, { namespace: name }).items : [];
      if (left.length > 0) remaining.set(resource, left.length);
      for (const item of left) {
        for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
      }
    }

    const now = formatTime(clock.now());
    const conditions: NamespaceCondition[] = [
      {
        type: 'NamespaceDeletionDiscoveryFailure',
        status: 'False',
        reason: 'ResourcesDiscovered',
        message: 'All resources successfully discovered',
      },
      {
        type: 'NamespaceDeletionGroupVersionParsingFailure',
        status: 'False',
        reason: 'ParsedGroupVersions',
        message: 'All legacy kube types successfully parsed',
      },
      failures.length > 0
        ? {
            type: 'NamespaceDeletionContentFailure',
            status: 'True',
            reason: 'ContentDeletionFailed',
            message: `Failed to delete all resource types, ${failures.length} remaining: ${failures.join(', ')}`,
          }
        : {
            type: 'NamespaceDeletionContentFailure',
            status: 'False',
            reason: 'ContentDeleted',
            message: 'All content successfully deleted, may be waiting on finalization',
          },
      remaining.size > 0
        ? {
            type: 'NamespaceContentRemaining',
            status: 'True',
            reason: 'SomeResourcesRemain',
            message: `Some resources are remaining: ${[...remaining]
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([resource, count]) => `${resource} has ${count} resource instances`)
              .join(', ')}`,
          }
        : {
            type: 'NamespaceContentRemaining',
            status: 'False',
            reason: 'ContentRemoved',
            message: 'All content successfully removed',
          },
      finalizers.size > 0
        ? {
            type: 'NamespaceFinalizersRemaining',
            status: 'True',
            reason: 'SomeFinalizersRemain',
            message: `Some content in the namespace has finalizers remaining: ${[...finalizers]
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([finalizer, count]) => `${finalizer} in ${count} resource instances`)
              .join(', ')}`,
          }
        : {
            type: 'NamespaceFinalizersRemaining',
            status: 'False',
            reason: 'ContentHasNoFinalizers',
            message: 'All content-preserving finalizers finished',
          },
    ];
    const status = isPlainObject(ns.status) ? ns.status : {};
    const old = Array.isArray(status.conditions) ? (status.conditions as NamespaceCondition[]) : [];
    const merged = conditions.map((c) => {
      const previous = old.find((o) => o.type === c.type);
      const same = previous && previous.status === c.status;
      return { ...c, lastTransitionTime: same ? previous.lastTransitionTime : now };
    });
    const changed = merged.some((c) => {
      const previous = old.find((o) => o.type === c.type);
      return (
        !previous ||
        previous.status !== c.status ||
        previous.reason !== c.reason ||
        previous.message !== c.message
      );
    });
    if (changed) {
      ignoreNotFound(() =>
        api.update(
          NAMESPACES,
          undefined,
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name },
            status: { ...status, phase: 'Terminating', conditions: merged },
          },
          { subresource: 'status', fieldManager: 'kube-controller-manager' },
        ),
      );
    }
    if (remaining.size > 0 || failures.length > 0) return { requeueAfterMs: RECHECK_MS };

    const spec = isPlainObject(ns.spec) ? ns.spec : {};
    const specFinalizers = Array.isArray(spec.finalizers) ? (spec.finalizers as string[]) : [];
    if (!specFinalizers.includes(KUBERNETES_FINALIZER)) return;
    ignoreNotFound(() =>
      api.update(
        NAMESPACES,
        undefined,
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name },
          spec: { ...spec, finalizers: specFinalizers.filter((f) => f !== KUBERNETES_FINALIZER) },
        },
        { subresource: 'finalize', fieldManager: 'kube-controller-manager' },
      ),
    );
  };

  controller.start();
  return { name: 'namespace', isIdle: () => controller.queue.isIdle(), stop: () => controller.stop() };
}
