// The scheduler's tests still import the workload resources from here; they live in one list.
export {
  CONTROLLER_REVISIONS,
  CRONJOBS,
  DAEMONSETS,
  JOBS,
  LEASES,
  NODES,
  PODS,
  PVCS,
  STATEFULSETS,
} from '../shared/resources';
