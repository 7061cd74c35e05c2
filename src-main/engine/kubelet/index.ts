/**
 * The kubelet: one per node of a local cluster. Runs the pods bound to its node as Docker
 * containers through a ContainerRuntime, reports Node (with its Lease) and Pod status, and
 * re-adopts what an earlier engine left running.
 *
 * Wiring, per profile: start the network first (the kubelet only creates a plain bridge
 * network when none exists), then `startKubelet` once per node with
 * `nodeName: nodeNameFor(profile, i)`, and `startHostpathProvisioner` (in
 * controllers/hostpath-provisioner) once. `stop()` leaves containers running; for
 * `kubedesk delete`, stop the kubelets and call `removeProfileContainers`.
 *
 * Containers carry the runtime's LABELS: a pod's containers are found by
 * `io.kubedesk.pod-uid`; `io.kubedesk.container` names the Kubernetes container and
 * `io.kubedesk.restart-count` its instance (the highest is current, the one below it is
 * `--previous`); the sandbox has `io.kubedesk.role=sandbox`.
 */
export { startKubelet } from './kubelet';
export type { KubeletOptions, RunningKubelet } from './kubelet';
export type { TokenSource } from './token-cache';
export { nodeNameFor } from './node-names';
export { podDirectory } from './volumes';
export { removeProfileContainers } from './profile-cleanup';
