import type { ResourceDefinition } from '../types';
import { runtimeClassDefinition } from './runtimeclasses';

/** Every node.k8s.io/v1 resource. */
export const nodeResources: ResourceDefinition[] = [runtimeClassDefinition];
