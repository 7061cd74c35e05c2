import type { ResourceDefinition } from '../types';
import { endpointSliceDefinition } from './endpointslices';

/** Every discovery.k8s.io/v1 resource. */
export const discoveryResources: ResourceDefinition[] = [endpointSliceDefinition];
