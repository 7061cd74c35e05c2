import type { ProfilePki } from '../profiles/types';
import type { KeyValueStore } from '../store/types';
import { admitDefaultClasses } from './admission/default-classes';
import { staticTokenAuthenticator } from './http/auth';
import type { Authorizer, TokenAuthenticator, UserInfo } from './http/auth';
import type { ProtobufDecoder } from './http/body';
import { startApiHttpServer } from './http/server';
import type { ApiHttpServerOptions } from './http/server';
import type { SubresourceHandler, RegisterSubresourceHandler } from './http/subresource-handlers';
import type { VersionInfo } from './http/version';
import type { PathHandler, VirtualResource } from './http/extensions';
import { findUnknownFields, openapiResponse } from './openapi';
import { decodeKubernetesProtobuf } from './protobuf';
import {
  applyJsonPatch,
  applyMergePatch,
  applyServerSide,
  applyStrategicMergePatch,
  recordUpdate,
} from './patch';
import { allocateServiceAddresses } from './registry/core/service-allocation';
import { convertToVersion, findResource, resourceDefinitions } from './registry';
import { bootstrapCluster } from './storage/bootstrap';
import type { BootstrapOptions } from './storage/bootstrap';
import type { Patcher, ResourceResolver, StorageOptions } from './storage/dependencies';
import { ObjectStorage } from './storage/object-storage';
import { findTypeError } from './storage/type-check';

export type { Authorizer, RequestAttributes, TokenAuthenticator, UserInfo } from './http/auth';
export type {
  SubresourceHandler,
  SubresourceRequest,
  RegisterSubresourceHandler,
} from './http/subresource-handlers';
export { ObjectStorage } from './storage/object-storage';
export { sendJson, sendError } from './http/respond';
export { bootstrapCluster, KUBERNETES_SERVICE_IP, SYSTEM_NAMESPACES } from './storage/bootstrap';
export { parseLabelSelector, parseFieldSelector, selectorFromSpec, formatSelectorSpec } from './selectors';

/** The built-in resources, as the storage looks them up. */
export const builtinResources: ResourceResolver = {
  find: (group, version, plural) => findResource(group, version, plural),
  all: () => resourceDefinitions,
  convert: convertToVersion,
};

/** The storage's patch engine, over the patch module. */
export const builtinPatcher: Patcher = {
  json: applyJsonPatch,
  merge: applyMergePatch,
  strategic: applyStrategicMergePatch,
  apply: (args) => applyServerSide({ ...args, ignoredFields: ['status'] }),
  recordUpdate,
};

/** The storage wiring of the built-in server: registry, patch engine, schemas, Service allocation. */
export function builtinStorageOptions(
  store: KeyValueStore,
  now?: () => Date,
  serviceCidr?: string,
): StorageOptions {
  return {
    store,
    resources: builtinResources,
    patcher: builtinPatcher,
    now,
    findUnknownFields,
    findTypeError,
    allocateServiceAddresses: (service, existing) =>
      allocateServiceAddresses(service, existing, { serviceCidr }),
    admitCreate: admitDefaultClasses,
  };
}

/** The HTTP wiring of the built-in server: OpenAPI documents and protobuf bodies. */
export function builtinHttpOptions(): Pick<ApiHttpServerOptions, 'openapi' | 'decodeProtobuf'> {
  return { openapi: openapiResponse, decodeProtobuf: decodeKubernetesProtobuf };
}

/** An ObjectStorage over `store` with the built-in registry, patch engine and schemas. */
export function createObjectStorage(
  store: KeyValueStore,
  now?: () => Date,
  serviceCidr?: string,
): ObjectStorage {
  return new ObjectStorage(builtinStorageOptions(store, now, serviceCidr));
}

export interface CreateApiServerOptions {
  store: KeyValueStore;
  pki: ProfilePki;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: a free port. */
  port?: number;
  /** More addresses to serve on (same port), e.g. the Docker network's gateway for pods. */
  extraHosts?: string[];
  /** Where ClusterIPs are allocated from (default 10.96.0.0/12). */
  serviceCidr?: string;
  /** The `kubernetes` Service's ClusterIP (default 10.96.0.1). */
  kubernetesServiceIp?: string;
  /** A static bearer token that authenticates as a cluster admin (system:masters). */
  adminToken?: string;
  now?: () => Date;
  /** Bearer tokens beyond the admin token (e.g. service-account JWTs). */
  authenticate?: TokenAuthenticator;
  /** Default: every authenticated user may do everything (no RBAC yet). */
  authorize?: Authorizer;
  /** Where pods reach the API server: gives the `kubernetes` Service its Endpoints. */
  apiServerEndpoint?: BootstrapOptions['apiServerEndpoint'];
  version?: Partial<VersionInfo>;
  log?: (message: string) => void;
  /** Decoder for `application/vnd.kubernetes.protobuf` bodies (kubectl ≥ 1.32 create). */
  decodeProtobuf?: ProtobufDecoder;
}

export interface RunningApiServer {
  port: number;
  objectApi: ObjectStorage;
  registerSubresourceHandler: RegisterSubresourceHandler;
  /** Serves a code-backed resource (listed in discovery), e.g. metrics.k8s.io PodMetrics. */
  registerVirtualResource: (resource: VirtualResource) => void;
  /** Serves a non-resource path, e.g. `/openid/v1/jwks`. */
  registerPathHandler: (path: string, handler: PathHandler) => void;
  close(): Promise<void>;
}

/**
 * Starts the Kubernetes-compatible API server over `store`: bootstraps the cluster's
 * system objects (idempotent), then serves HTTPS with the profile's PKI. `close` stops
 * serving; the store stays open (its owner closes it).
 */
export async function createApiServer(options: CreateApiServerOptions): Promise<RunningApiServer> {
  const objectApi = createObjectStorage(options.store, options.now, options.serviceCidr);
  bootstrapCluster(objectApi, {
    apiServerEndpoint: options.apiServerEndpoint,
    kubernetesServiceIp: options.kubernetesServiceIp,
  });
  const admin = options.adminToken ? staticTokenAuthenticator(options.adminToken) : undefined;
  const extra = options.authenticate;
  const authenticate: TokenAuthenticator | undefined =
    admin || extra
      ? async (token): Promise<UserInfo | undefined> => (await admin?.(token)) ?? (await extra?.(token))
      : undefined;
  const http = await startApiHttpServer({
    storage: objectApi,
    pki: options.pki,
    host: options.host,
    extraHosts: options.extraHosts,
    port: options.port,
    authenticate,
    authorize: options.authorize,
    ...builtinHttpOptions(),
    ...(options.decodeProtobuf ? { decodeProtobuf: options.decodeProtobuf } : {}),
    version: options.version,
    log: options.log,
  });
  return {
    port: http.port,
    objectApi,
    registerSubresourceHandler: (
      group: string,
      plural: string,
      subresource: string,
      handler: SubresourceHandler,
    ) => http.subresources.register(group, plural, subresource, handler),
    registerVirtualResource: http.extensions.registerVirtualResource,
    registerPathHandler: http.extensions.registerPathHandler,
    close: () => http.close(),
  };
}
