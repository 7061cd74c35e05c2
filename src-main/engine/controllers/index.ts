import type { ObjectApi } from '../apiserver/object-api';
import { resourceDefinitions } from '../apiserver/registry';
import type { ResourceDefinition } from '../apiserver/registry/types';
import type { ProfilePki } from '../profiles/types';
import { startDeploymentController } from './deployment/controller';
import { startEndpointsController } from './endpoints/controller';
import { startEndpointSliceController } from './endpointslice/controller';
import { startGarbageCollector } from './garbage-collector/controller';
import { startNamespaceController } from './namespace/controller';
import { startReplicaSetController } from './replicaset/controller';
import { startServiceAccountController } from './serviceaccount/controller';
import { startTokenSecretsController } from './serviceaccount/token-secrets';
import { createServiceAccountTokens } from './serviceaccount/tokens';
import type { ServiceAccountTokens } from './serviceaccount/tokens';
import type { Clock } from './runtime/clock';
import type { ControllerContext, RunningController } from './shared/context';
import { InformerFactory } from './shared/informer-factory';

export interface CoreControllerOptions {
  api: ObjectApi;
  clock: Clock;
  /** The profile's PKI: its service-account key signs pod tokens. */
  pki?: ProfilePki;
  /**
   * Every resource type, for the garbage collector and namespace deletion. Default: the
   * storage's own list when `api` has one, else the built-in registry.
   */
  resources?: readonly ResourceDefinition[];
  /** Retried failures, for the engine log. */
  onError?: (message: string, error: unknown) => void;
  /** More controllers to run over the same informers and stop with the rest. */
  extra?: ReadonlyArray<(ctx: ControllerContext) => RunningController>;
}

/** The running core controllers. */
export interface CoreControllers {
  controllers: readonly RunningController[];
  /**
   * Service-account token signer/verifier (when a PKI was given): `tokenForPod` for the
   * kubelet, `verifyServiceAccountToken` for the API server's authenticator, and the base of
   * `tokenRequestHandler` for `serviceaccounts/token`.
   */
  serviceAccountTokens?: ServiceAccountTokens;
  /** True when no controller has work queued, running or scheduled. */
  isIdle(): boolean;
  stop(): Promise<void>;
}

function resourcesOf(api: ObjectApi): readonly ResourceDefinition[] | undefined {
  const resolver = (api as { resources?: unknown }).resources;
  if (
    typeof resolver === 'object' &&
    resolver !== null &&
    'all' in resolver &&
    typeof resolver.all === 'function'
  ) {
    return (resolver as { all(): readonly ResourceDefinition[] }).all();
  }
  return undefined;
}

/**
 * Starts the core controllers over one shared set of informers: ReplicaSet, Deployment,
 * garbage collector, Namespace, Endpoints, EndpointSlice and ServiceAccount (plus, with a
 * PKI, the token controller for service-account-token Secrets). `stop` stops them all and
 * their watches.
 *
 * Wiring the tokens: kubelet `serviceAccountToken: (pod, aud, exp) => tokens.tokenForPod(pod,
 * aud, exp)`; API server `authenticate: (t) => tokens.verifyServiceAccountToken(t)` (a late-bound
 * function works, since the controllers start after the server);
 * `registerSubresourceHandler('', 'serviceaccounts', 'token', tokenRequestHandler(tokens))`.
 */
export function startCoreControllers(options: CoreControllerOptions): CoreControllers {
  const informers = new InformerFactory(options.api);
  const ctx: ControllerContext = {
    api: options.api,
    clock: options.clock,
    informers,
    onError: options.onError,
  };
  const resources = options.resources ?? resourcesOf(options.api) ?? resourceDefinitions;
  const controllers: RunningController[] = [
    startReplicaSetController(ctx),
    startDeploymentController(ctx),
    startGarbageCollector({ ...ctx, resources }),
    startNamespaceController({ ...ctx, resources }),
    startEndpointsController(ctx),
    startEndpointSliceController(ctx),
    startServiceAccountController(ctx),
  ];
  for (const start of options.extra ?? []) controllers.push(start(ctx));
  const serviceAccountTokens = options.pki
    ? createServiceAccountTokens({ pki: options.pki, clock: options.clock, api: options.api })
    : undefined;
  if (serviceAccountTokens && options.pki) {
    controllers.push(
      startTokenSecretsController({ ...ctx, tokens: serviceAccountTokens, caCertPem: options.pki.caCertPem }),
    );
  }
  informers.start();
  return {
    controllers,
    serviceAccountTokens,
    isIdle: () => controllers.every((c) => c.isIdle()),
    stop: async () => {
      informers.stop();
      await Promise.all(controllers.map((c) => c.stop()));
    },
  };
}

export { createServiceAccountTokens, SERVICE_ACCOUNT_ISSUER } from './serviceaccount/tokens';
export type { ServiceAccountTokens, IssueRequest, IssuedToken } from './serviceaccount/tokens';
export { tokenRequestHandler } from './serviceaccount/token-request';
export type { ControllerContext, RunningController } from './shared/context';
export { InformerFactory } from './shared/informer-factory';
