import type { KubeObject } from '../../k8s-object';
import { ApiError, badRequest } from '../status';
import { MalformedProtobuf, decodeMessageInto, newReader, setNestedEnvelopeDecoder } from './decode';
import { rootMessage, supportedKinds } from './schema/registry';

/** The media type of Kubernetes' protobuf encoding (kubectl ≥ 1.32 sends it for typed generators). */
export const KUBERNETES_PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** The four bytes `k8s\0` every Kubernetes protobuf body starts with. */
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** True when a Content-Type header (parameters allowed) names the Kubernetes protobuf encoding. */
export function isKubernetesProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === KUBERNETES_PROTOBUF;
}

/** Every `apiVersion`/`kind` pair `decodeKubernetesProtobuf` accepts. */
export { supportedKinds as supportedProtobufKinds };

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

function readEnvelope(body: Uint8Array): Envelope {
  for (let i = 0; i < MAGIC.length; i++) {
    if (body[i] !== MAGIC[i]) {
      throw badRequest(
        `provided data does not appear to be a protobuf message, expected prefix [${MAGIC.join(' ')}]`,
      );
    }
  }
  const reader = newReader(body.subarray(MAGIC.length));
  const envelope: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: '' };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const wire = tag & 7;
    const field = tag >>> 3;
    if (field >= 1 && field <= 4 && wire !== 2)
      throw new MalformedProtobuf(`runtime.Unknown field ${field} has wire type ${wire}`);
    if (field === 1) {
      const typeMeta = newReader(reader.bytes());
      while (typeMeta.pos < typeMeta.len) {
        const t = typeMeta.uint32();
        if (t >>> 3 === 1 && (t & 7) === 2) envelope.apiVersion = typeMeta.string();
        else if (t >>> 3 === 2 && (t & 7) === 2) envelope.kind = typeMeta.string();
        else typeMeta.skipType(t & 7);
      }
    } else if (field === 2) envelope.raw = reader.bytes();
    else if (field === 3) envelope.contentEncoding = reader.string();
    else reader.skipType(wire);
  }
  return envelope;
}

function decodeEnvelope(body: Uint8Array, depth: number): KubeObject {
  const envelope = readEnvelope(body);
  if (!envelope.kind) throw badRequest("Object 'Kind' is missing in the protobuf body");
  if (envelope.contentEncoding) {
    throw badRequest(`unsupported content encoding "${envelope.contentEncoding}" in the protobuf body`);
  }
  const version = envelope.apiVersion || 'v1';
  const message = rootMessage(version, envelope.kind);
  if (!message) throw badRequest(`no kind "${envelope.kind}" is registered for version "${version}"`);
  const decoded: Record<string, unknown> = {};
  const reader = newReader(envelope.raw);
  decodeMessageInto(reader, reader.len, message, decoded, depth);
  return {
    apiVersion: envelope.apiVersion,
    kind: envelope.kind,
    ...decoded,
    metadata: (decoded.metadata ?? {}) as KubeObject['metadata'],
  };
}

setNestedEnvelopeDecoder((bytes, depth) => decodeEnvelope(bytes, depth));

/**
 * Decodes a request body in the Kubernetes protobuf encoding (`k8s\0` + runtime.Unknown) into the
 * object the JSON encoding of the same request would carry: `apiVersion`/`kind` from the envelope,
 * only the fields present on the wire (zero values of `omitempty` fields dropped as Go's JSON
 * encoder drops them), maps, lists, quantities as strings, int-or-strings as numbers or strings,
 * times as RFC 3339, `bytes` as base64.
 *
 * Never throws anything but an `ApiError` 400 BadRequest: for a missing prefix, an unknown kind,
 * or bytes that break the wire format.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): KubeObject {
  try {
    return decodeEnvelope(body, 0);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw badRequest(`unable to decode the protobuf body: ${detail}`);
  }
}
