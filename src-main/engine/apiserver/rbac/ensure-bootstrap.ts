import { ApiError } from '../status';
import type { ObjectApi } from '../object-api';
import { BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES } from './bootstrap-policy';
import type { GroupVersionResource } from '../registry/types';

const CLUSTER_ROLES: GroupVersionResource = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  resource: 'clusterroles',
};
const CLUSTER_ROLE_BINDINGS: GroupVersionResource = { ...CLUSTER_ROLES, resource: 'clusterrolebindings' };

/**
 * Creates the bootstrap ClusterRoles and ClusterRoleBindings that do not exist yet. Existing
 * ones are left as they are, so a user's change to a default role survives restarts.
 * Idempotent; safe to call on every start.
 */
export function ensureBootstrapPolicy(api: ObjectApi): void {
  for (const [gvr, objects] of [
    [CLUSTER_ROLES, BOOTSTRAP_CLUSTER_ROLES],
    [CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLE_BINDINGS],
  ] as const) {
    for (const object of objects) {
      try {
        api.create(gvr, undefined, structuredClone(object), { fieldManager: 'kube-apiserver' });
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 409)) throw error;
      }
    }
  }
}
