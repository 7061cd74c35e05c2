import type { ResourceDefinition } from '../types';
import { controllerRevisionDefinition } from './controllerrevisions';
import { daemonSetDefinition } from './daemonsets';
import { deploymentDefinition } from './deployments';
import { replicaSetDefinition } from './replicasets';
import { statefulSetDefinition } from './statefulsets';

/** Every apps/v1 resource. */
export const appsResources: ResourceDefinition[] = [
  controllerRevisionDefinition,
  daemonSetDefinition,
  deploymentDefinition,
  replicaSetDefinition,
  statefulSetDefinition,
];
