import type { Addon } from '../../addons/types';
import { ensureObject } from '../../addons/cluster-client';
import { nginxIngressClass } from './ingress-controller';
import { INGRESS_CLASS } from './ingress-routes';
import { HTTP_PORT_ANNOTATION, HTTPS_PORT_ANNOTATION } from './ingress-supervisor';

const INGRESS_CLASSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' };

/**
 * The Ingress addon: the `nginx` IngressClass (the cluster default). The engine's network
 * serves it while the class exists — a router on host ports 80/443, or the next free ones,
 * which it writes onto the class (`kubedesk.io/http-port`, `kubedesk.io/https-port`).
 */
export const ingressAddon: Addon = {
  name: 'ingress',
  description: 'An Ingress controller (class "nginx", the default) serving Ingresses on host ports 80/443',
  available: true,

  async apply({ client }) {
    await ensureObject(client, INGRESS_CLASSES, nginxIngressClass());
  },

  async remove({ client }) {
    await client.delete(INGRESS_CLASSES, undefined, INGRESS_CLASS);
  },

  async waitUntilReady({ client, log }, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = await client.get(INGRESS_CLASSES, undefined, INGRESS_CLASS);
      const annotations = found?.metadata.annotations ?? {};
      const http = annotations[HTTP_PORT_ANNOTATION];
      const https = annotations[HTTPS_PORT_ANNOTATION];
      if (http && https) {
        if (http !== '80' || https !== '443') {
          log?.(
            `host ports 80/443 are taken: Ingresses are served on http://localhost:${http} and https://localhost:${https}`,
          );
        }
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    throw new Error(
      `the ingress router did not start within ${Math.round(timeoutMs / 1000)}s (see the engine log)`,
    );
  },
};
