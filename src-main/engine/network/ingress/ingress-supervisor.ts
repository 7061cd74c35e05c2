import type { V1IngressClass } from '@kubernetes/client-node';
import type { ObjectApi } from '../../apiserver/object-api';
import { Informer } from '../../controllers/runtime/informer';
import { startIngressController } from './ingress-controller';
import type { IngressControllerOptions, RunningIngressController } from './ingress-controller';
import { INGRESS_CLASS, INGRESS_CONTROLLER } from './ingress-routes';

const INGRESS_CLASSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' };
/** Annotations on the IngressClass telling where the router listens on the host. */
export const HTTP_PORT_ANNOTATION = 'kubedesk.io/http-port';
export const HTTPS_PORT_ANNOTATION = 'kubedesk.io/https-port';

/**
 * Runs the ingress router exactly while the `nginx` IngressClass (controller
 * k8s.io/ingress-nginx) exists — the Ingress addon creates and deletes that class — and writes
 * the host ports it got onto the class as `kubedesk.io/http-port` / `kubedesk.io/https-port`.
 */
export function startIngressWhenEnabled(options: Omit<IngressControllerOptions, 'createClass'>): {
  current(): RunningIngressController | undefined;
  stop(): Promise<void>;
} {
  const log = options.log ?? (() => undefined);
  const classes = new Informer(options.api, INGRESS_CLASSES);
  let running: RunningIngressController | undefined;
  let transition: Promise<void> = Promise.resolve();
  let stopped = false;

  const enabled = () => {
    const found = classes.get(INGRESS_CLASS) as V1IngressClass | undefined;
    return found?.spec?.controller === INGRESS_CONTROLLER && !found.metadata?.deletionTimestamp;
  };
  const sync = () => {
    transition = transition.then(async () => {
      const want = enabled() && !stopped;
      if (want && !running) {
        try {
          running = await startIngressController({ ...options, createClass: false });
          log(`ingress: serving HTTP on ${running.httpPort} and HTTPS on ${running.httpsPort}`);
        } catch (error) {
          log(`ingress: ${error instanceof Error ? error.message : String(error)}`);
        }
      } else if (!want && running) {
        const closing = running;
        running = undefined;
        await closing.stop();
      }
      if (running)
        annotatePorts(options.api, running, classes.get(INGRESS_CLASS) as V1IngressClass | undefined, log);
    });
  };
  classes.addHandlers({ add: sync, update: sync, delete: sync });
  classes.start();
  sync();
  return {
    current: () => running,
    async stop() {
      stopped = true;
      classes.stop();
      sync();
      await transition;
    },
  };
}

function annotatePorts(
  api: ObjectApi,
  running: RunningIngressController,
  ingressClass: V1IngressClass | undefined,
  log: (message: string) => void,
): void {
  const annotations = ingressClass?.metadata?.annotations ?? {};
  const http = String(running.httpPort);
  const https = String(running.httpsPort);
  if (
    !ingressClass ||
    (annotations[HTTP_PORT_ANNOTATION] === http && annotations[HTTPS_PORT_ANNOTATION] === https)
  )
    return;
  try {
    api.patch(
      INGRESS_CLASSES,
      undefined,
      INGRESS_CLASS,
      'merge',
      { metadata: { annotations: { [HTTP_PORT_ANNOTATION]: http, [HTTPS_PORT_ANNOTATION]: https } } },
      { fieldManager: 'kubedesk-ingress' },
    );
  } catch (error) {
    log(`ingress: annotating the IngressClass: ${String(error)}`);
  }
}
