import type { ResourceDefinition } from '../types';
import { leaseDefinition } from './leases';

/** Every coordination.k8s.io/v1 resource. */
export const coordinationResources: ResourceDefinition[] = [leaseDefinition];
