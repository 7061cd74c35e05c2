import { buildOpenapiV2, buildOpenapiV3, v3GroupVersionPaths } from './documents';
import { encodeGnosticDocument } from './gnostic-v2';

export { findUnknownFields, hasSchema, definitionForKind } from './unknown-fields';
export { SERVED_GROUP_VERSIONS } from './served-resources';

/** What clients put in `Accept` to ask for the gnostic protobuf form of `/openapi/v2`. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/**
 * The Content-Type the protobuf form is answered with: the same type spelled without "@",
 * because clients parse the reply's media type and "@" is not legal there.
 */
export const OPENAPI_V2_PROTOBUF_REPLY = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/**
 * The `/openapi/v3` discovery document: one entry per served group-version, each with a
 * `serverRelativeURL` whose `hash` is the SHA-512 of that group-version's document (so
 * clients can cache it forever).
 */
export function openapiV3Root(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const key of v3GroupVersionPaths()) {
    const entry = buildOpenapiV3(key);
    if (entry) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${entry.hash}` };
  }
  return { paths };
}

/**
 * The OpenAPI v3 document for "api/v1" or "apis/<group>/<version>" (leading/trailing slashes
 * ignored): component schemas with descriptions and Kubernetes extensions, and paths whose
 * operations carry x-kubernetes-group-version-kind and the `fieldValidation` parameter.
 * Undefined for group-versions that are not served.
 */
export function openapiV3Document(groupVersionPath: string): object | undefined {
  return buildOpenapiV3(groupVersionPath)?.document;
}

/** The content hash published for a v3 group-version document. */
export function openapiV3Hash(groupVersionPath: string): string | undefined {
  return buildOpenapiV3(groupVersionPath)?.hash;
}

/** The Swagger 2.0 document (`/openapi/v2` as JSON) covering every served group-version. */
export function openapiV2Json(): object {
  return buildOpenapiV2();
}

let v2Protobuf: Uint8Array | undefined;

/** `/openapi/v2` as gnostic's `openapi.v2.Document` protobuf; encoded once and cached. */
export function openapiV2Protobuf(): Uint8Array {
  v2Protobuf ??= encodeGnosticDocument(buildOpenapiV2() as Record<string, unknown>);
  return v2Protobuf;
}

// The documents never change while the process runs; serialize each once.
const bodies = new Map<string, string>();
function serialized(key: string, build: () => object): string {
  let body = bodies.get(key);
  if (body === undefined) {
    body = JSON.stringify(build());
    bodies.set(key, body);
  }
  return body;
}

export interface OpenapiHttpResponse {
  status: number;
  contentType: string;
  body: string | Uint8Array;
  headers: Record<string, string>;
}

/**
 * Answers a GET for `/openapi/v2` or `/openapi/v3[/<gv path>]`, negotiating the v2 protobuf
 * form from `Accept`. Returns undefined for other paths so the caller can 404 as usual.
 */
export function openapiResponse(pathname: string, accept = ''): OpenapiHttpResponse | undefined {
  const p = pathname.replace(/\/+$/, '');
  if (p === '/openapi/v2') {
    if (accept.includes('application/com.github.proto-openapi.spec.v2')) {
      return {
        status: 200,
        contentType: OPENAPI_V2_PROTOBUF_REPLY,
        body: openapiV2Protobuf(),
        headers: { Vary: 'Accept' },
      };
    }
    return {
      status: 200,
      contentType: 'application/json',
      body: serialized('v2', openapiV2Json),
      headers: { Vary: 'Accept' },
    };
  }
  if (p === '/openapi/v3') {
    return {
      status: 200,
      contentType: 'application/json',
      body: serialized('v3', openapiV3Root),
      headers: {},
    };
  }
  if (p.startsWith('/openapi/v3/')) {
    const entry = buildOpenapiV3(p.slice('/openapi/v3/'.length));
    if (!entry) return undefined;
    return {
      status: 200,
      contentType: 'application/json',
      body: serialized(`v3/${entry.hash}`, () => entry.document),
      headers: { Etag: `"${entry.hash}"`, 'Cache-Control': 'public, immutable' },
    };
  }
  return undefined;
}
