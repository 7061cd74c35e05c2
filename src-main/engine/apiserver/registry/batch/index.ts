import type { ResourceDefinition } from '../types';
import { cronJobDefinition } from './cronjobs';
import { jobDefinition } from './jobs';

/** Every batch/v1 resource. */
export const batchResources: ResourceDefinition[] = [cronJobDefinition, jobDefinition];
