import type { ResourceDefinition } from '../types';
import { csiDriverDefinition } from './csidrivers';
import { storageClassDefinition } from './storageclasses';
import { volumeAttachmentDefinition } from './volumeattachments';

/** Every storage.k8s.io/v1 resource. */
export const storageResources: ResourceDefinition[] = [
  csiDriverDefinition,
  storageClassDefinition,
  volumeAttachmentDefinition,
];
