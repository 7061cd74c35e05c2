import { appsV1 } from './apps-v1';
import { authenticationV1, authorizationV1 } from './auth';
import { autoscalingV1, autoscalingV2 } from './autoscaling';
import { batchV1 } from './batch-v1';
import { certificatesV1 } from './certificates-v1';
import { coreV1 } from './core-v1';
import { metaV1 } from './meta-v1';
import { networkingV1 } from './networking-v1';
import { policyV1, schedulingV1 } from './policy-scheduling-v1';
import { rbacV1 } from './rbac-v1';
import type { PackageSchema } from './types';

/** Every package whose messages the decoder knows. */
export const PACKAGES: readonly PackageSchema[] = [
  metaV1,
  coreV1,
  appsV1,
  batchV1,
  networkingV1,
  rbacV1,
  policyV1,
  schedulingV1,
  autoscalingV1,
  autoscalingV2,
  authenticationV1,
  authorizationV1,
  certificatesV1,
];

export type Scalar = 'string' | 'bool' | 'int32' | 'int64' | 'double' | 'bytes';

/**
 * apimachinery types whose JSON form is not the plain rendering of their protobuf fields.
 * `StringList` is a message `{1: repeated string}` that JSON prints as a bare array
 * (authentication/authorization `ExtraValue`).
 */
export type Builtin =
  'Time' | 'MicroTime' | 'Duration' | 'Quantity' | 'IntOrString' | 'RawExtension' | 'FieldsV1' | 'StringList';

const SCALARS: ReadonlySet<string> = new Set<Scalar>(['string', 'bool', 'int32', 'int64', 'double', 'bytes']);
const BUILTINS: ReadonlySet<string> = new Set<Builtin>([
  'Time',
  'MicroTime',
  'Duration',
  'Quantity',
  'IntOrString',
  'RawExtension',
  'FieldsV1',
  'StringList',
]);

export type TypeDesc =
  | { kind: 'scalar'; scalar: Scalar; keepZero: boolean }
  | { kind: 'builtin'; builtin: Builtin }
  | { kind: 'message'; message: MessageDesc }
  | { kind: 'map'; value: TypeDesc };

export interface FieldDesc {
  json: string;
  type: TypeDesc;
  repeated: boolean;
  inline: boolean;
}

export interface MessageDesc {
  /** `pkg.Name`, for messages. */
  id: string;
  fields: ReadonlyMap<number, FieldDesc>;
}

const byName = new Map(PACKAGES.map((p) => [p.name, p]));
const resolved = new Map<string, MessageDesc>();

function parseType(spec: string, pkg: PackageSchema, where: string): TypeDesc {
  const map = /^map<string,(.+)>$/.exec(spec);
  if (map) return { kind: 'map', value: parseType(map[1], pkg, where) };
  const keepZero = spec.endsWith('*');
  const bare = keepZero ? spec.slice(0, -1) : spec;
  if (SCALARS.has(bare)) return { kind: 'scalar', scalar: bare as Scalar, keepZero };
  if (BUILTINS.has(bare)) return { kind: 'builtin', builtin: bare as Builtin };
  return { kind: 'message', message: resolveMessage(bare, pkg, where) };
}

function resolveMessage(ref: string, from: PackageSchema, where: string): MessageDesc {
  const dot = ref.indexOf('.');
  const pkg = dot < 0 ? from : byName.get(ref.slice(0, dot));
  const name = dot < 0 ? ref : ref.slice(dot + 1);
  const id = `${pkg?.name ?? ref.slice(0, dot)}.${name}`;
  const known = resolved.get(id);
  if (known) return known;
  const fields = pkg?.messages[name];
  if (!pkg || !fields) throw new Error(`protobuf schema: ${where} refers to unknown message ${ref}`);
  const out = new Map<number, FieldDesc>();
  const desc: MessageDesc = { id, fields: out };
  // Registered before its fields are parsed so that self-referencing messages terminate.
  resolved.set(id, desc);
  for (const [num, spec] of Object.entries(fields)) {
    const [json, type, inline] = spec;
    const repeated = type.startsWith('[]');
    out.set(Number(num), {
      json,
      type: parseType(repeated ? type.slice(2) : type, pkg, `${id}.${json}`),
      repeated,
      inline: inline === 'inline',
    });
  }
  return desc;
}

const roots = new Map<string, MessageDesc>();
for (const pkg of PACKAGES) {
  for (const [apiVersion, kinds] of Object.entries(pkg.kinds)) {
    for (const kind of kinds)
      roots.set(`${apiVersion}|${kind}`, resolveMessage(kind, pkg, `${apiVersion} ${kind}`));
  }
}

/** The message that encodes `kind` in `apiVersion`, or undefined when the decoder does not know it. */
export function rootMessage(apiVersion: string, kind: string): MessageDesc | undefined {
  return roots.get(`${apiVersion}|${kind}`);
}

/** Every `apiVersion` + kind the decoder accepts. */
export function supportedKinds(): Array<{ apiVersion: string; kind: string }> {
  return [...roots.keys()].map((key) => {
    const [apiVersion, kind] = key.split('|');
    return { apiVersion, kind };
  });
}

/**
 * Resolves every message of every package, so a typo in a table fails loudly (tests call this;
 * the decoder itself only resolves what it reaches).
 */
export function resolveAllMessages(): number {
  for (const pkg of PACKAGES) for (const name of Object.keys(pkg.messages)) resolveMessage(name, pkg, name);
  return resolved.size;
}
