import type { ResourceDefinition } from '../types';
import { ingressClassDefinition } from './ingressclasses';
import { ingressDefinition } from './ingresses';
import { networkPolicyDefinition } from './networkpolicies';

/** Every networking.k8s.io/v1 resource. */
export const networkingResources: ResourceDefinition[] = [
  ingressClassDefinition,
  ingressDefinition,
  networkPolicyDefinition,
];
