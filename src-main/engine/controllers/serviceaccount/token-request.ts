import type { SubresourceHandler } from '../../apiserver/http/subresource-handlers';
import { sendJson } from '../../apiserver/http/respond';
import { ApiError, badRequest, fieldErrors, invalid } from '../../apiserver/status';
import type { FieldError } from '../../apiserver/status';
import { isPlainObject } from '../../k8s-object';
import { PODS, SERVICE_ACCOUNTS } from '../shared/resources';
import { MIN_EXPIRATION_SECONDS } from './tokens';
import type { ServiceAccountTokens } from './tokens';

const MAX_EXPIRATION_SECONDS = 2 ** 32;
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };

/**
 * `POST …/serviceaccounts/<name>/token` (TokenRequest, what `kubectl create token` calls):
 * answers 201 with a bound token for the account, honouring audiences, expirationSeconds
 * (default 3600, at least 600) and boundObjectRef (Pod, Secret or Node, checked by uid).
 * Register with `registerSubresourceHandler('', 'serviceaccounts', 'token', handler)`.
 */
export function tokenRequestHandler(tokens: ServiceAccountTokens): SubresourceHandler {
  return {
    async handle(request, res) {
      if (request.req.method !== 'POST') {
        throw new ApiError(
          405,
          'MethodNotAllowed',
          `the server does not allow this method on the requested resource`,
        );
      }
      const namespace = request.namespace ?? 'default';
      const sa = request.objectApi.get(SERVICE_ACCOUNTS, namespace, request.name);
      const body = await request.readObject();
      if (body.kind !== undefined && body.kind !== 'TokenRequest') {
        throw badRequest(`TokenRequest expected, got ${String(body.kind)}`);
      }
      const spec = isPlainObject(body.spec) ? body.spec : {};
      const expirationSeconds = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : 3600;
      const errors: FieldError[] = [];
      if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
        errors.push(
          fieldErrors.invalid(
            'spec.expirationSeconds',
            expirationSeconds,
            'may not specify a duration less than 10 minutes',
          ),
        );
      }
      if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
        errors.push(
          fieldErrors.invalid(
            'spec.expirationSeconds',
            expirationSeconds,
            'may not specify a duration larger than 2^32 seconds',
          ),
        );
      }
      if (errors.length) throw invalid('TokenRequest', request.name, 'authentication.k8s.io', errors);
      const audiences = Array.isArray(spec.audiences) ? spec.audiences.map(String) : [];
      const bound = isPlainObject(spec.boundObjectRef) ? spec.boundObjectRef : undefined;
      let pod: { name: string; uid: string } | undefined;
      let secret: { name: string; uid: string } | undefined;
      let node: { name: string; uid?: string } | undefined;
      if (bound) {
        const kind = String(bound.kind ?? '');
        const name = String(bound.name ?? '');
        const gvr = kind === 'Pod' ? PODS : kind === 'Secret' ? SECRETS : kind === 'Node' ? NODES : undefined;
        if (!gvr) throw badRequest(`cannot bind token for object of kind ${kind}`);
        const target = request.objectApi.get(gvr, kind === 'Node' ? undefined : namespace, name);
        if (bound.uid && bound.uid !== target.metadata.uid) {
          throw new ApiError(
            409,
            'Conflict',
            `the UID in the bound object reference (${String(bound.uid)}) does not match the UID in record. The object might have been deleted and then recreated`,
          );
        }
        const ref = { name, uid: target.metadata.uid ?? '' };
        if (kind === 'Pod') {
          pod = ref;
          const nodeName = (target.spec as { nodeName?: string } | undefined)?.nodeName;
          if (nodeName) node = { name: nodeName };
        } else if (kind === 'Secret') secret = ref;
        else node = ref;
      }
      const issued = tokens.issue({
        namespace,
        serviceAccount: { name: request.name, uid: sa.metadata.uid ?? '' },
        audiences,
        expirationSeconds,
        pod,
        secret,
        node,
      });
      sendJson(res, 201, {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { name: request.name, namespace, creationTimestamp: null },
        spec: {
          audiences: issued.audiences,
          expirationSeconds: issued.expirationSeconds,
          ...(bound ? { boundObjectRef: bound } : {}),
        },
        status: { token: issued.token, expirationTimestamp: issued.expirationTimestamp },
      });
    },
  };
}
