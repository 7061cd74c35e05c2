/**
 * Contracts for on-disk profiles. A profile is one local cluster: its folder under
 * `$KUBEDESK_HOME/profiles/<name>/` holds its config, PKI, state database and daemon file.
 */

/** PEM material of a profile. Keys are written 0600. */
export interface ProfilePki {
  caCertPem: string;
  caKeyPem: string;
  /** Serving certificate for the API server (SANs: 127.0.0.1, ::1, localhost, kubernetes.default.svc…). */
  serverCertPem: string;
  serverKeyPem: string;
  /** Client certificate of the profile's admin user (O=system:masters). */
  adminCertPem: string;
  adminKeyPem: string;
  /** Key pair that signs and verifies service-account tokens. */
  serviceAccountPrivateKeyPem: string;
  serviceAccountPublicKeyPem: string;
  /** Where the files live, for kubeconfig paths. */
  files: { caCert: string; adminCert: string; adminKey: string };
}

/** Persisted settings of a profile (config.json). */
export interface ProfileConfig {
  name: string;
  /** Host port of the API server; kept across restarts so kubeconfigs stay valid. */
  apiServerPort: number;
  nodes: number;
  /** CPU cap per node (cores); undefined = the Docker host's. */
  cpus?: number;
  /** Memory cap per node in MiB; undefined = the Docker host's. */
  memoryMiB?: number;
  /** Bind host listeners (NodePort, LoadBalancer, Ingress) on all interfaces instead of 127.0.0.1. */
  exposeOnAllInterfaces?: boolean;
  kubernetesVersion: string;
  createdAt: string;
}

/** What a running engine writes (engine.json) so CLIs and the app can find it. */
export interface EngineRuntimeInfo {
  pid: number;
  apiServerPort: number;
  startedAt: string;
}
