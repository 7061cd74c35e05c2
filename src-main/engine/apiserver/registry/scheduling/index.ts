import type { ResourceDefinition } from '../types';
import { priorityClassDefinition } from './priorityclasses';

/** Every scheduling.k8s.io/v1 resource. */
export const schedulingResources: ResourceDefinition[] = [priorityClassDefinition];
