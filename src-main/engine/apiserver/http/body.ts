import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../k8s-object';
import type { PatchType } from '../object-api';
import { ApiError, badRequest, tooLarge, unsupportedMediaType } from '../status';
import { mediaType } from './negotiation';
import { jsonNesting, MAX_BODY_NESTING, yamlNesting } from './nesting';

/** Kubernetes' request body limit. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Reads the whole body; 413 past `limit` (the rest is drained, the connection survives). */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) over = true;
    if (!over) chunks.push(buf);
  }
  if (over) throw tooLarge(limit);
  return Buffer.concat(chunks);
}

export type ProtobufDecoder = (body: Uint8Array) => KubeObject;

function tooDeep(): ApiError {
  return badRequest(`error decoding request body: exceeded max depth of ${MAX_BODY_NESTING}`);
}

function parseJson(text: string): unknown {
  if (jsonNesting(text) > MAX_BODY_NESTING) throw tooDeep();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`error decoding request body: ${(error as Error).message}`);
  }
}

function parseYamlText(text: string): unknown {
  if (yamlNesting(text) > MAX_BODY_NESTING) throw tooDeep();
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw badRequest(`error decoding request body as YAML: ${(error as Error).message}`);
  }
}

/**
 * Decodes an object body sent as JSON, YAML or Kubernetes protobuf. Malformed bodies
 * answer 400, unknown content types 415.
 */
export function decodeObjectBody(
  body: Buffer,
  contentType: string | undefined,
  decodeProtobuf?: ProtobufDecoder,
): KubeObject {
  const type = mediaType(contentType);
  let value: unknown;
  if (type === '' || type === 'application/json' || type === 'text/json') {
    value = parseJson(body.toString('utf8'));
  } else if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') {
    value = parseYamlText(body.toString('utf8'));
  } else if (type === PROTOBUF && decodeProtobuf) {
    try {
      value = decodeProtobuf(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw badRequest(`error decoding request body as protobuf: ${(error as Error).message}`);
    }
  } else {
    throw unsupportedMediaType(contentType ?? '');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('the body of the request must be a JSON or YAML object');
  }
  return value as KubeObject;
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The patch type and decoded patch of a PATCH request; 415 for unsupported types. */
export function decodePatchBody(
  body: Buffer,
  contentType: string | undefined,
): { type: PatchType; patch: unknown } {
  const type = PATCH_TYPES[mediaType(contentType)];
  if (!type) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
    );
  }
  const text = body.toString('utf8');
  const patch = type === 'apply' ? parseYamlText(text) : parseJson(text);
  if (type === 'json' && !Array.isArray(patch)) {
    throw badRequest('json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp');
  }
  if (type !== 'json' && (typeof patch !== 'object' || patch === null || Array.isArray(patch))) {
    throw badRequest('the body of the request must be a JSON object');
  }
  return { type, patch };
}
