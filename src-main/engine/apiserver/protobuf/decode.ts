import protobuf from 'protobufjs/minimal';
import type { Reader } from 'protobufjs/minimal';
import { formatDuration, formatMicroTime, formatTime } from './json-forms';
import type { Builtin, FieldDesc, MessageDesc, Scalar, TypeDesc } from './schema/registry';

/** Thrown for bytes that do not follow the wire format or the schema; the caller maps it to 400. */
export class MalformedProtobuf extends Error {}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

// RawExtension may embed another `k8s\0` envelope; nothing legitimate nests this deep.
const MAX_DEPTH = 64;

type JsonObject = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8');

export function newReader(bytes: Uint8Array): Reader {
  return protobuf.Reader.create(bytes);
}

function toNumber(value: number | protobuf.Long): number {
  return typeof value === 'number' ? value : protobuf.util.LongBits.from(value).toNumber(false);
}

function toBigInt(value: number | protobuf.Long): bigint {
  if (typeof value === 'number') return BigInt(value);
  const bits = protobuf.util.LongBits.from(value);
  return BigInt.asIntN(64, (BigInt(bits.hi >>> 0) << 32n) | BigInt(bits.lo >>> 0));
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Reads the length prefix of a length-delimited field and returns where its bytes end. */
function subEnd(reader: Reader, end: number): number {
  const length = reader.uint32();
  const stop = reader.pos + length;
  if (stop > end)
    throw new MalformedProtobuf(`length ${length} at offset ${reader.pos} runs past the end of its message`);
  return stop;
}

function expectWire(actual: number, expected: number, field: string): void {
  if (actual !== expected)
    throw new MalformedProtobuf(`field ${field} has wire type ${actual}, expected ${expected}`);
}

function scalarWire(scalar: Scalar): number {
  if (scalar === 'string' || scalar === 'bytes') return WIRE_BYTES;
  if (scalar === 'double') return WIRE_FIXED64;
  return WIRE_VARINT;
}

function readScalar(reader: Reader, scalar: Scalar): unknown {
  switch (scalar) {
    case 'string':
      return reader.string();
    case 'bytes':
      return base64(reader.bytes());
    case 'bool':
      return reader.bool();
    case 'int32':
      return reader.int32();
    case 'int64':
      return toNumber(reader.int64());
    case 'double':
      return reader.double();
  }
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

/** Reads the fields of one message between `reader.pos` and `end` into `into`. */
export function decodeMessageInto(
  reader: Reader,
  end: number,
  message: MessageDesc,
  into: JsonObject,
  depth: number,
): void {
  if (depth > MAX_DEPTH) throw new MalformedProtobuf('messages nest too deeply');
  while (reader.pos < end) {
    const tag = reader.uint32();
    const number = tag >>> 3;
    const wire = tag & 7;
    if (number === 0) throw new MalformedProtobuf(`invalid field number 0 at offset ${reader.pos}`);
    const field = message.fields.get(number);
    // Go's decoder skips fields it does not know; newer clients may send fields we have not mapped.
    if (!field) {
      reader.skipType(wire);
      continue;
    }
    decodeField(reader, end, wire, field, message, into, depth);
  }
  if (reader.pos !== end) throw new MalformedProtobuf(`message ${message.id} overruns its length`);
}

function decodeField(
  reader: Reader,
  end: number,
  wire: number,
  field: FieldDesc,
  message: MessageDesc,
  into: JsonObject,
  depth: number,
): void {
  const name = `${message.id}.${field.json}`;
  const { type } = field;
  if (type.kind === 'scalar') {
    if (field.repeated) {
      const list = arrayAt(into, field.json);
      if (wire === WIRE_BYTES && type.scalar !== 'string' && type.scalar !== 'bytes') {
        // Packed encoding of a repeated number: proto2 senders do not use it, but it is valid.
        const stop = subEnd(reader, end);
        while (reader.pos < stop) list.push(readScalar(reader, type.scalar));
        if (reader.pos !== stop) throw new MalformedProtobuf(`packed field ${name} overruns its length`);
        return;
      }
      expectWire(wire, scalarWire(type.scalar), name);
      list.push(readScalar(reader, type.scalar));
      return;
    }
    expectWire(wire, scalarWire(type.scalar), name);
    const value = readScalar(reader, type.scalar);
    if (!type.keepZero && isZero(value)) delete into[field.json];
    else into[field.json] = value;
    return;
  }

  expectWire(wire, WIRE_BYTES, name);
  const stop = subEnd(reader, end);
  if (type.kind === 'map') {
    const map = (into[field.json] ??= {}) as JsonObject;
    const [key, value] = decodeMapEntry(reader, stop, type.value, name, depth);
    setOwn(map, key, value);
    return;
  }
  if (field.inline && type.kind === 'message') {
    decodeMessageInto(reader, stop, type.message, into, depth + 1);
    return;
  }
  const value = decodeValue(reader, stop, type, depth + 1);
  if (field.repeated) {
    arrayAt(into, field.json).push(value);
    return;
  }
  const previous = into[field.json];
  // A message field seen twice merges, as protobuf says; everything else: last one wins.
  if (isObject(previous) && isObject(value)) Object.assign(previous, value);
  else into[field.json] = value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayAt(into: JsonObject, key: string): unknown[] {
  const existing = into[key];
  if (Array.isArray(existing)) return existing;
  const list: unknown[] = [];
  into[key] = list;
  return list;
}

type LengthDelimited = Extract<TypeDesc, { kind: 'message' } | { kind: 'builtin' }>;

/** Decodes a length-delimited value (`reader.pos` .. `end`) of a message or builtin type. */
function decodeValue(reader: Reader, end: number, type: LengthDelimited, depth: number): unknown {
  if (type.kind === 'builtin') return decodeBuiltin(reader, end, type.builtin, depth);
  const out: JsonObject = {};
  decodeMessageInto(reader, end, type.message, out, depth);
  return out;
}

/** Sets an own property even for the key `__proto__`, which plain assignment would not create. */
function setOwn(target: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function decodeMapEntry(
  reader: Reader,
  end: number,
  valueType: TypeDesc,
  name: string,
  depth: number,
): [string, unknown] {
  let key = '';
  let value: unknown = zeroOf(valueType);
  while (reader.pos < end) {
    const tag = reader.uint32();
    const wire = tag & 7;
    switch (tag >>> 3) {
      case 1:
        expectWire(wire, WIRE_BYTES, `${name} key`);
        key = reader.string();
        break;
      case 2:
        if (valueType.kind === 'scalar') {
          expectWire(wire, scalarWire(valueType.scalar), `${name} value`);
          value = readScalar(reader, valueType.scalar);
        } else if (valueType.kind === 'map') {
          throw new MalformedProtobuf(`schema of ${name} nests a map in a map`);
        } else {
          expectWire(wire, WIRE_BYTES, `${name} value`);
          const stop = subEnd(reader, end);
          value = decodeValue(reader, stop, valueType, depth + 1);
        }
        break;
      default:
        reader.skipType(wire);
    }
  }
  if (reader.pos !== end) throw new MalformedProtobuf(`map entry of ${name} overruns its length`);
  return [key, value];
}

function zeroOf(type: TypeDesc): unknown {
  if (type.kind === 'scalar')
    return type.scalar === 'bool' ? false : type.scalar === 'string' || type.scalar === 'bytes' ? '' : 0;
  if (type.kind === 'builtin') return type.builtin === 'Quantity' ? '0' : null;
  return {};
}

/** Fields of a small builtin message, by number; repeated fields collect into arrays. */
function readRaw(
  reader: Reader,
  end: number,
  what: string,
): Map<number, Array<number | protobuf.Long | Uint8Array>> {
  const fields = new Map<number, Array<number | protobuf.Long | Uint8Array>>();
  while (reader.pos < end) {
    const tag = reader.uint32();
    const wire = tag & 7;
    let value: number | protobuf.Long | Uint8Array;
    if (wire === WIRE_VARINT) value = reader.int64();
    else if (wire === WIRE_BYTES) value = reader.bytes();
    else if (wire === WIRE_FIXED32) value = reader.fixed32();
    else if (wire === WIRE_FIXED64) value = reader.fixed64();
    else throw new MalformedProtobuf(`${what} has wire type ${wire}`);
    const list = fields.get(tag >>> 3) ?? [];
    list.push(value);
    fields.set(tag >>> 3, list);
  }
  if (reader.pos !== end) throw new MalformedProtobuf(`${what} overruns its length`);
  return fields;
}

function lastInt(
  fields: Map<number, Array<number | protobuf.Long | Uint8Array>>,
  n: number,
  what: string,
): bigint {
  const value = fields.get(n)?.at(-1);
  if (value === undefined) return 0n;
  if (value instanceof Uint8Array) throw new MalformedProtobuf(`${what} field ${n} should be a number`);
  return toBigInt(value);
}

function lastBytes(
  fields: Map<number, Array<number | protobuf.Long | Uint8Array>>,
  n: number,
  what: string,
): Uint8Array | undefined {
  const value = fields.get(n)?.at(-1);
  if (value === undefined) return undefined;
  if (!(value instanceof Uint8Array)) throw new MalformedProtobuf(`${what} field ${n} should be bytes`);
  return value;
}

/** Hook for RawExtension payloads that are themselves `k8s\0` envelopes; set by the entry point. */
let nestedEnvelope: ((bytes: Uint8Array, depth: number) => unknown) | undefined;

export function setNestedEnvelopeDecoder(decode: (bytes: Uint8Array, depth: number) => unknown): void {
  nestedEnvelope = decode;
}

function decodeBuiltin(reader: Reader, end: number, builtin: Builtin, depth: number): unknown {
  const fields = readRaw(reader, end, builtin);
  switch (builtin) {
    case 'Time': {
      // metav1.Time marshals the zero time as an empty message; JSON prints that as null.
      if (fields.size === 0) return null;
      return formatTime(lastInt(fields, 1, builtin));
    }
    case 'MicroTime': {
      if (fields.size === 0) return null;
      return formatMicroTime(lastInt(fields, 1, builtin), Number(lastInt(fields, 2, builtin)));
    }
    case 'Duration':
      return formatDuration(lastInt(fields, 1, builtin));
    case 'Quantity': {
      const text = lastBytes(fields, 1, builtin);
      return text && text.length > 0 ? utf8.decode(text) : '0';
    }
    case 'IntOrString': {
      const isString = lastInt(fields, 1, builtin) === 1n;
      if (isString) {
        const text = lastBytes(fields, 3, builtin);
        return text ? utf8.decode(text) : '';
      }
      return Number(BigInt.asIntN(32, lastInt(fields, 2, builtin)));
    }
    case 'StringList':
      return (fields.get(1) ?? []).map((item) => {
        if (!(item instanceof Uint8Array)) throw new MalformedProtobuf(`${builtin} items should be strings`);
        return utf8.decode(item);
      });
    case 'RawExtension':
    case 'FieldsV1': {
      const raw = lastBytes(fields, 1, builtin);
      if (!raw || raw.length === 0) return null;
      return parseRaw(raw, builtin, depth);
    }
  }
}

function parseRaw(raw: Uint8Array, what: string, depth: number): unknown {
  if (
    raw.length >= 4 &&
    raw[0] === 0x6b &&
    raw[1] === 0x38 &&
    raw[2] === 0x73 &&
    raw[3] === 0 &&
    nestedEnvelope
  ) {
    return nestedEnvelope(raw, depth + 1);
  }
  try {
    return JSON.parse(utf8.decode(raw)) as unknown;
  } catch {
    throw new MalformedProtobuf(`${what} holds neither JSON nor a protobuf object`);
  }
}
