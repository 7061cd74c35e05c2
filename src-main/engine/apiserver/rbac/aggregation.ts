import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../k8s-object';
import { isPlainObject } from '../../k8s-object';
import type { Informer } from '../../controllers/runtime/informer';
import type { ObjectApi } from '../object-api';
import type { GroupVersionResource } from '../registry/types';
import { selectorFromSpec } from '../selectors';
import type { LabelSelectorSpec } from '../selectors';

const CLUSTER_ROLES: GroupVersionResource = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource: 'clusterroles',
};

function aggregatedRules(role: KubeObject, all: KubeObject[]): unknown[] | undefined {
  const rule = isPlainObject(role.aggregationRule) ? role.aggregationRule : undefined;
  if (!rule || !Array.isArray(rule.clusterRoleSelectors)) return undefined;
  const selectors = rule.clusterRoleSelectors
    .filter(isPlainObject)
    .map((s) => selectorFromSpec(s as LabelSelectorSpec));
  const rules: unknown[] = [];
  const sorted = all
    .filter((other) => other.metadata.name !== role.metadata.name)
    .filter((other) => selectors.some((s) => s.matches(other.metadata.labels)))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const other of sorted) {
    for (const r of Array.isArray(other.rules) ? other.rules : []) {
      if (!rules.some((existing) => isDeepStrictEqual(existing, r))) rules.push(r);
    }
  }
  return rules;
}

/**
 * The clusterrole-aggregation controller: writes into every ClusterRole with an
 * `aggregationRule` the union of the rules of the ClusterRoles its selectors match, so
 * `kubectl get clusterrole admin -o yaml` shows what admin may do. Writes happen after the
 * informer's event delivery and only when the rules differ, so it settles.
 */
export function startRoleAggregation(api: ObjectApi, clusterRoles: Informer): { stop(): void } {
  let scheduled = false;
  let stopped = false;
  const sync = () => {
    scheduled = false;
    if (stopped) return;
    const all = clusterRoles.list();
    for (const role of all) {
      const rules = aggregatedRules(role, all);
      if (!rules || isDeepStrictEqual(rules, role.rules ?? [])) continue;
      try {
        api.update(
          CLUSTER_ROLES,
          undefined,
          { ...role, rules },
          { fieldManager: 'clusterrole-aggregation-controller' },
        );
      } catch {
        // A conflicting write changes the cache, which schedules another pass.
      }
    }
  };
  const schedule = () => {
    if (scheduled || stopped) return;
    scheduled = true;
    setTimeout(sync, 0);
  };
  clusterRoles.addHandlers({ add: schedule, update: schedule, delete: schedule });
  return {
    stop: () => {
      stopped = true;
    },
  };
}
