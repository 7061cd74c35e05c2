import type { ResourceDefinition } from '../types';
import { clusterRoleBindingDefinition } from './clusterrolebindings';
import { clusterRoleDefinition } from './clusterroles';
import { roleBindingDefinition } from './rolebindings';
import { roleDefinition } from './roles';

/** Every rbac.authorization.k8s.io/v1 resource. */
export const rbacResources: ResourceDefinition[] = [
  clusterRoleBindingDefinition,
  clusterRoleDefinition,
  roleBindingDefinition,
  roleDefinition,
];
