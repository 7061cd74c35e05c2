/** Contract types of service links and port-forward tunnels; `contract.ts` names the channels. */

export interface ServiceLink {
  /** The Service port's name, or the Ingress rule's host. */
  label: string;
  url: string;
}

export interface TunnelStartRequest {
  cluster: string;
  namespace: string;
  kind: 'Service' | 'Pod';
  name: string;
  /** The Service port (for a Service) or the container port (for a Pod). */
  port: number;
  /** A local port; a free one when absent or 0. */
  localPort?: number;
}

export interface TunnelInfo {
  id: string;
  cluster: string;
  namespace: string;
  kind: 'Service' | 'Pod';
  name: string;
  port: number;
  localPort: number;
  /** http://127.0.0.1:<localPort> */
  url: string;
  /** Connections served so far. */
  connections: number;
  /** The last connection's failure, if any. */
  lastError?: string;
}
