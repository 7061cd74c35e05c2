/**
 * The kubelet: one per node of a local cluster. Runs the pods bound to its node as Docker
 * containers through a ContainerRuntime, reports Node and Pod status, and re-adopts what
 * an earlier engine left running.
 */
export { startKubelet } from './kubelet';
export type { KubeletOptions, RunningKubelet } from './kubelet';
export { nodeNameFor } from './node-names';
export { podDirectory } from './volumes';
export { removeProfileContainers } from './profile-cleanup';
