import type { ResourceDefinition } from '../types';
import { podDisruptionBudgetDefinition } from './poddisruptionbudgets';

/** Every policy/v1 resource. */
export const policyResources: ResourceDefinition[] = [podDisruptionBudgetDefinition];
