/**
 * Runtime schemas of every invoke request in `contract.ts`. The backend parses each request with
 * the schema of its channel before any handler runs, so handlers only ever see values of their
 * contract type, whatever a renderer (or anything else that reaches the transport) sends.
 *
 * Requests are strict objects: an unknown key is reported rather than dropped, so a misspelt
 * optional field fails loudly instead of being silently ignored. Kubernetes payloads (YAML text)
 * stay loosely typed here; the API server validates those with its own schemas.
 */
import { z } from 'zod';
import type { InvokeChannel, InvokeRequest } from './contract';
import type { ErrorCause } from './errors';
import { kubedeskError } from './errors';

/** A name that addresses one object: an empty one would address the whole collection instead. */
const objectName = z.string().min(1);
const port = z.int().min(1).max(65_535);
const empty = z.strictObject({});

/**
 * Not strict: views pass the discovered `ResourceType` (with kind, verbs, shortNames) where a
 * `ResourceAddress` is asked for, as the TypeScript type allows; the extra keys are dropped.
 */
const resourceAddress = z.object({
  group: z.string(),
  version: z.string().min(1),
  plural: z.string().min(1),
  namespaced: z.boolean(),
});

const objectRefShape = {
  cluster: z.string(),
  type: resourceAddress,
  namespace: z.string().optional(),
  name: objectName,
};
const objectRef = z.strictObject(objectRefShape);

const logTargetKind = z.enum(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']);

const logSource = {
  cluster: z.string(),
  namespace: z.string(),
  kind: logTargetKind,
  name: objectName,
  container: z.string().optional(),
  previous: z.boolean().optional(),
};

type RequestSchemas = { [C in InvokeChannel]: z.ZodType<InvokeRequest<C>> };

/** Whether two key sets are the same (an optional field missing on one side is not an assignability error). */
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;

/**
 * `unknown` when the schema accepts every value of the contract type and has the same fields, else
 * a message naming the channel (which then shows up in the compiler's error).
 */
type AcceptsContract<C extends InvokeChannel, S> = [InvokeRequest<C>] extends [z.output<S>]
  ? SameKeys<InvokeRequest<C>, z.output<S>> extends true
    ? unknown
    : `the schema of ${C} has other fields than its contract type`
  : `the schema of ${C} rejects values its contract type allows`;

/**
 * Checks both directions at compile time: the constraint on `T` makes each schema's output a value
 * of the contract type, and the intersection makes each contract type a value of the schema's
 * output with the same fields, so a field added to, removed from or retyped in the contract
 * breaks the build here until the schema follows. Nested objects (`type`) have only required
 * fields, which assignability alone keeps in step.
 */
function matchingContract<T extends RequestSchemas>(
  schemas: T & { [C in InvokeChannel]: AcceptsContract<C, T[C]> },
): T {
  return schemas;
}

export const REQUEST_SCHEMAS = matchingContract({
  'app.info': empty,
  'settings.get': empty,
  'settings.set': z.strictObject({ keepClustersRunning: z.boolean().optional() }),
  'clusters.list': empty,
  'clusters.create': z.strictObject({
    name: z.string(),
    nodes: z.int().min(1).optional(),
    // Cores may be fractional (1.5), as `kubedesk start --cpus` takes them.
    cpus: z.number().positive().optional(),
    memoryMiB: z.int().positive().optional(),
  }),
  'clusters.start': z.strictObject({ name: z.string() }),
  'clusters.stop': z.strictObject({ name: z.string() }),
  'clusters.delete': z.strictObject({ name: z.string() }),
  'kube.discover': z.strictObject({ cluster: z.string() }),
  'kube.list': z.strictObject({
    cluster: z.string(),
    type: resourceAddress,
    namespace: z.string().optional(),
    labelSelector: z.string().optional(),
    fieldSelector: z.string().optional(),
  }),
  'kube.get': objectRef,
  'kube.watch': z.strictObject({
    cluster: z.string(),
    type: resourceAddress,
    namespace: z.string().optional(),
    resourceVersion: z.string(),
  }),
  'kube.unwatch': z.strictObject({ watchId: z.string() }),
  'kube.apply': z.strictObject({
    cluster: z.string(),
    yaml: z.string(),
    namespace: z.string().optional(),
    mode: z.enum(['apply', 'create', 'replace', 'edit']),
    original: z.string().optional(),
    dryRun: z.boolean().optional(),
  }),
  'kube.delete': z.strictObject({
    ...objectRefShape,
    propagationPolicy: z.enum(['Background', 'Foreground', 'Orphan']).optional(),
  }),
  'kube.scale': z.strictObject({ ...objectRefShape, replicas: z.int().min(0) }),
  'kube.rolloutRestart': objectRef,
  'kube.rolloutHistory': objectRef,
  // 0 means the revision before the current one, as in `kubectl rollout undo --to-revision=0`.
  'kube.rolloutUndo': z.strictObject({ ...objectRefShape, toRevision: z.int().min(0).optional() }),
  'kube.cordon': z.strictObject({ cluster: z.string(), name: objectName, unschedulable: z.boolean() }),
  'kube.drain': z.strictObject({ cluster: z.string(), name: objectName }),
  'logs.start': z.strictObject({ ...logSource, tailLines: z.int().min(0).optional() }),
  'logs.stop': z.strictObject({ streamId: z.string() }),
  'logs.download': z.strictObject({ ...logSource, timestamps: z.boolean().optional() }),
  'exec.start': z.strictObject({
    cluster: z.string(),
    namespace: z.string(),
    pod: objectName,
    container: z.string(),
    shell: z.string(),
    cols: z.int().positive(),
    rows: z.int().positive(),
  }),
  'exec.input': z.strictObject({ sessionId: z.string(), data: z.string() }),
  'exec.resize': z.strictObject({
    sessionId: z.string(),
    cols: z.int().positive(),
    rows: z.int().positive(),
  }),
  'exec.stop': z.strictObject({ sessionId: z.string() }),
  'access.links': z.strictObject({
    cluster: z.string(),
    kind: z.enum(['Service', 'Ingress']),
    namespace: z.string(),
    name: objectName,
  }),
  'tunnels.list': empty,
  'tunnels.start': z.strictObject({
    cluster: z.string(),
    namespace: z.string(),
    kind: z.enum(['Service', 'Pod']),
    name: objectName,
    port,
    // 0 asks for a free port, like leaving it out.
    localPort: z.int().min(0).max(65_535).optional(),
  }),
  'tunnels.stop': z.strictObject({ id: z.string() }),
  'metrics.usage': z.strictObject({
    cluster: z.string(),
    kind: z.enum(['Pod', 'Node']),
    namespace: z.string().optional(),
    name: objectName,
  }),
  'images.list': empty,
  'images.remove': z.strictObject({ image: z.string(), force: z.boolean().optional() }),
  'images.build': z.strictObject({
    operationId: z.string(),
    context: z.string(),
    dockerfile: z.string().optional(),
    tag: z.string(),
    buildArgs: z.record(z.string(), z.string()).optional(),
  }),
  'images.push': z.strictObject({
    operationId: z.string(),
    image: z.string(),
    target: z.string().optional(),
  }),
  'images.registry': z.strictObject({ cluster: z.string() }),
  'images.deploy': z.strictObject({
    cluster: z.string(),
    image: z.string(),
    name: objectName,
    namespace: z.string().optional(),
    port,
    replicas: z.int().min(0).optional(),
    pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  }),
});

/** The same schemas, typed by the contract, so a lookup by a generic channel yields its request type. */
const SCHEMAS_BY_CHANNEL: RequestSchemas = REQUEST_SCHEMAS;

/**
 * Parses a request of a channel (`undefined` and `null` stand for `{}`). A request that does not
 * match throws a `BadRequest` error whose causes name each offending field by its dotted path.
 */
export function parseInvokeRequest<C extends InvokeChannel>(channel: C, request: unknown): InvokeRequest<C> {
  const parsed = SCHEMAS_BY_CHANNEL[channel].safeParse(request ?? {}, { reportInput: true });
  if (parsed.success) return parsed.data;
  const causes = parsed.error.issues.flatMap(describeIssue);
  const summary = causes.map((cause) => (cause.field ? `${cause.field}: ${cause.message}` : cause.message));
  throw kubedeskError('BadRequest', `invalid request for ${channel}: ${summary.join('; ')}`, { causes });
}

/** `spec.containers[0].image`, the way Kubernetes names fields in its causes. */
function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text;
}

function withField(path: readonly PropertyKey[], message: string): ErrorCause {
  const field = fieldPath(path);
  return field ? { field, message } : { message };
}

const ARTICLES: Record<string, string> = { int: 'an integer', object: 'an object', array: 'an array' };

function typeName(expected: string): string {
  return ARTICLES[expected] ?? `a ${expected}`;
}

function receivedName(input: unknown, expected: string): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  // A fraction where an integer belongs: the value itself says more than "a number".
  if (expected === 'int' && typeof input === 'number') return String(input);
  return typeName(typeof input);
}

/** One line per problem: where, what is wrong and what was expected. */
function describeIssue(issue: z.core.$ZodIssue): ErrorCause[] {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeName(issue.expected);
      // With `reportInput`, zod leaves `input` out exactly when the value was undefined.
      if (!('input' in issue) || issue.input === undefined) {
        return [withField(issue.path, `required: expected ${expected}`)];
      }
      // NaN and Infinity are named in `received`; their input is not reported.
      const received =
        'received' in issue ? String(issue.received) : receivedName(issue.input, issue.expected);
      return [withField(issue.path, `expected ${expected}, got ${received}`)];
    }
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) {
        return [withField(issue.path, 'expected a non-empty string')];
      }
      if (issue.origin === 'number') {
        return [
          withField(issue.path, `expected a number ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`),
        ];
      }
      return [withField(issue.path, issue.message)];
    case 'too_big':
      if (issue.origin === 'number') {
        return [
          withField(issue.path, `expected a number ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`),
        ];
      }
      return [withField(issue.path, issue.message)];
    case 'invalid_value':
      return [
        withField(
          issue.path,
          `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`,
        ),
      ];
    case 'unrecognized_keys':
      return issue.keys.map((key) => withField([...issue.path, key], 'unknown field'));
    default:
      return [withField(issue.path, issue.message)];
  }
}
