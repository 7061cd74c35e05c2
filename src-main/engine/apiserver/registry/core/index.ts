import type { ResourceDefinition } from '../types';
import { configMapsResource } from './configmaps';
import { endpointsResource } from './endpoints';
import { eventsResource } from './events';
import { limitRangesResource } from './limitranges';
import { namespacesResource } from './namespaces';
import { nodesResource } from './nodes';
import { persistentVolumeClaimsResource } from './persistentvolumeclaims';
import { persistentVolumesResource } from './persistentvolumes';
import { podsResource } from './pods';
import { podTemplatesResource } from './podtemplates';
import { replicationControllersResource } from './replicationcontrollers';
import { resourceQuotasResource } from './resourcequotas';
import { secretsResource } from './secrets';
import { serviceAccountsResource } from './serviceaccounts';
import { servicesResource } from './services';

/** Every core/v1 resource, in the order `kubectl api-resources` lists them. */
export const coreResources: ResourceDefinition[] = [
  configMapsResource,
  endpointsResource,
  eventsResource,
  limitRangesResource,
  namespacesResource,
  nodesResource,
  persistentVolumeClaimsResource,
  persistentVolumesResource,
  podsResource,
  podTemplatesResource,
  replicationControllersResource,
  resourceQuotasResource,
  secretsResource,
  serviceAccountsResource,
  servicesResource,
];

export {
  allocateServiceAddresses,
  DEFAULT_NODE_PORT_RANGE,
  DEFAULT_SERVICE_CIDR,
} from './service-allocation';
export type { ServiceAllocationOptions } from './service-allocation';
export { applyPodSpecDefaults, applyPodTemplateDefaults, defaultImagePullPolicy } from './pod-spec-defaults';
export { validatePodSpec, validatePodTemplateSpec, validateTolerations } from './pod-spec-validation';
export { summarizePod, podCells, podColumns } from './pod-table';
export { podQosClass } from './pods';
