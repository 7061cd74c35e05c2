/**
 * Deterministic generators of bad requests: mutated manifests (wrong types, huge strings, deep
 * nesting, unknown fields, invalid names, invalid UTF-8), raw bodies, broken patches of every
 * type, bad query parameters and odd paths. Same seed, same requests.
 */
import { SEEDS } from './seeds';
import type { Seed } from './seeds';

export interface FuzzCase {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** mulberry32: small, fast, good enough to pick mutations reproducibly. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class Mutator {
  constructor(private readonly random: () => number) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  deep(depth: number): Json {
    let value: Json = 'bottom';
    for (let i = 0; i < depth; i++) value = this.chance(0.5) ? [value] : { a: value };
    return value;
  }

  weirdValue(): Json {
    const values: (() => Json)[] = [
      () => null,
      () => true,
      () => 0,
      () => -1,
      () => 2 ** 53 + 2,
      () => 1e308,
      () => -1e308,
      () => 1.5,
      () => '',
      () => ' ',
      () => 'x'.repeat(1 + this.int(70_000)),
      () => '\u0000',
      () => '💥🚀',
      () => '\ud800',
      () => '-1',
      () => 'NaN',
      () => '1e999',
      () => [],
      () => [null],
      () => {
        const o: { [key: string]: Json } = {};
        return o;
      },
      () => ({ $patch: 'delete' }),
      () => ({ $retainKeys: 5 }),
      () => this.deep(1 + this.int(3000)),
      () => Array.from({ length: 1 + this.int(2000) }, (_, i) => i),
      () => '../../etc/passwd',
      () => 'UPPER_case.invalid!',
      () => '100Qi',
      () => '-5Gi',
      () => '10.0.0.0/8',
    ];
    return this.pick(values)();
  }

  /** Every [parent, key] in `value`, so a mutation can reach any depth. */
  private slots(value: Json, out: [Json[] | { [key: string]: Json }, string | number][] = []) {
    if (Array.isArray(value)) {
      value.forEach((child, i) => {
        out.push([value, i]);
        this.slots(child, out);
      });
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        out.push([value, key]);
        this.slots(child, out);
      }
    }
    return out;
  }

  mutateObject(source: Record<string, unknown>): Json {
    const object = structuredClone(source) as Json;
    const rounds = 1 + this.int(3);
    for (let i = 0; i < rounds; i++) {
      const slots = this.slots(object);
      const [parent, key] = this.pick(slots);
      const kind = this.int(5);
      if (kind <= 1) {
        (parent as Record<string | number, Json>)[key] = this.weirdValue();
      } else if (kind === 2 && !Array.isArray(parent)) {
        delete parent[key as string];
      } else if (kind === 3) {
        const target = (parent as Record<string | number, Json>)[key];
        if (target && typeof target === 'object' && !Array.isArray(target)) {
          target[
            this.pick(['unknownField', 'x-extra', '$patch', 'status', 'metadata', '__proto__', 'constructor'])
          ] = this.weirdValue();
        } else {
          (parent as Record<string | number, Json>)[key] = this.weirdValue();
        }
      } else {
        (parent as Record<string | number, Json>)[key] = this.deep(1 + this.int(50));
      }
    }
    return object;
  }

  name(): string {
    return this.pick([
      `fz-${this.int(1e9).toString(36)}`,
      'UPPER',
      'a..b',
      'a/b',
      '',
      '-lead',
      'x'.repeat(254),
      'x'.repeat(64),
      'with space',
      '%00',
      'é',
    ]);
  }

  contentType(forPatch?: string): string {
    if (forPatch && this.chance(0.8)) return forPatch;
    return this.pick([
      'application/json',
      'application/json',
      'application/json',
      'application/yaml',
      'application/vnd.kubernetes.protobuf',
      'text/plain',
      'application/json; charset=utf-16',
      'multipart/form-data; boundary=x',
      'application/merge-patch+json',
      'application/json-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
      '',
    ]);
  }

  /** A body: usually a (mutated) JSON document, sometimes raw bytes of every kind of broken. */
  encode(value: Json): Buffer {
    const json = JSON.stringify(value);
    const variant = this.int(20);
    if (variant === 0) return Buffer.from(json.slice(0, this.int(json.length)));
    if (variant === 1) {
      const bytes = Buffer.from(json);
      const at = this.int(bytes.length);
      return Buffer.concat([
        bytes.subarray(0, at),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0]),
        bytes.subarray(at),
      ]);
    }
    if (variant === 2) return Buffer.from(Array.from({ length: this.int(4096) }, () => this.int(256)));
    if (variant === 3)
      return Buffer.from(this.pick(['', 'null', '[]', '"str"', '123', 'true', '{', '}{', '{"a":1}{"b":2}']));
    if (variant === 4)
      return Buffer.from(
        `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"u"},"data":{"a":"\\ud800\\udbff"}}`,
      );
    if (variant === 5) return Buffer.from(`a: [1, 2\nb: {c: *x}\n: - ! %`);
    if (variant === 6) return Buffer.from(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    if (variant === 7) return Buffer.from(`{"a":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`);
    return Buffer.from(json);
  }

  seed(): Seed {
    return this.pick(SEEDS);
  }
}

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

function itemPath(seed: Seed): string {
  const name = seed.object.metadata as { name: string };
  return `${seed.path}/${name.name}`;
}

/** The next request to send. `created` holds paths of objects that exist. */
export function nextCase(m: Mutator): FuzzCase {
  const seed = m.seed();
  const kind = m.int(100);
  if (kind < 35) {
    const object = m.mutateObject(seed.object);
    if (object && typeof object === 'object' && !Array.isArray(object) && m.chance(0.5)) {
      const meta = object.metadata;
      if (meta && typeof meta === 'object' && !Array.isArray(meta)) meta.name = m.name();
    }
    return {
      label: 'create mutated',
      method: 'POST',
      path:
        seed.path +
        m.pick([
          '',
          '',
          '',
          '?fieldValidation=Strict',
          '?fieldValidation=Warn',
          '?dryRun=All',
          '?fieldManager=%ff',
          '?fieldValidation=Bogus',
        ]),
      headers: { 'content-type': m.contentType() },
      body: m.encode(object),
    };
  }
  if (kind < 50) {
    const object = m.mutateObject(seed.object);
    return {
      label: 'update mutated',
      method: 'PUT',
      path: itemPath(seed) + m.pick(['', '', '/status', '/scale', '/bogus']),
      headers: { 'content-type': m.contentType() },
      body: m.encode(object),
    };
  }
  if (kind < 80) {
    const type = m.pick(PATCH_TYPES);
    let patch: Json;
    if (type === 'application/json-patch+json') {
      const op = () => ({
        op: m.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus', '']),
        path: m.pick([
          '/metadata/labels/x',
          '/spec',
          '/spec/containers/0/image',
          '/spec/replicas',
          '',
          '/',
          '/a/b/c',
          '~',
          '/metadata/name',
          '/spec/containers/-',
          '/data/~1x',
        ]),
        ...(m.chance(0.6) ? { value: m.weirdValue() } : {}),
        ...(m.chance(0.2) ? { from: m.pick(['/spec', '/nope', '']) } : {}),
      });
      patch = m.chance(0.9) ? Array.from({ length: 1 + m.int(4) }, op) : m.weirdValue();
    } else if (type === 'application/apply-patch+yaml') {
      patch = m.chance(0.7) ? m.mutateObject(seed.object) : m.weirdValue();
    } else {
      patch = m.chance(0.6)
        ? m.mutateObject(seed.object)
        : m.pick<Json>([
            { spec: { $patch: 'replace' } },
            { spec: { containers: [{ $patch: 'delete' }] } },
            { $setElementOrder: 5 },
            { spec: { $setElementOrder: { containers: [{ name: 'x' }, 7] } } },
            { spec: { $retainKeys: ['a', 3] } },
            { metadata: { $deleteFromPrimitiveList: { finalizers: 'x' } } },
            { metadata: { $deleteFromPrimitiveList: 'x' } },
            { spec: { containers: { $patch: 'merge' } } },
            m.weirdValue(),
          ]);
    }
    const query =
      type === 'application/apply-patch+yaml'
        ? m.pick([
            '?fieldManager=fuzz',
            '?fieldManager=fuzz&force=true',
            '',
            '?force=maybe&fieldManager=x',
            '?fieldManager=' + 'x'.repeat(200),
          ])
        : m.pick(['', '', '?dryRun=All', '?fieldValidation=Strict']);
    return {
      label: `patch ${type}`,
      method: 'PATCH',
      path: itemPath(seed) + m.pick(['', '', '', '/status', '/scale']) + query,
      headers: { 'content-type': m.contentType(type) },
      body: m.encode(patch),
    };
  }
  if (kind < 88) {
    const params = [
      'labelSelector=' +
        encodeURIComponent(
          m.pick(['a in (', '!!', 'a=b,c!=d', 'x'.repeat(5000), 'a notin (b', '=', 'a==b==c']),
        ),
      'fieldSelector=' +
        encodeURIComponent(m.pick(['metadata.name', 'spec.bogus=x', 'a=b=c', 'status.phase!=Running', '='])),
      'limit=' + m.pick(['-1', 'abc', '0', '1e9', '99999999999999999999']),
      'continue=' + m.pick(['garbage', 'eyJ2IjoxfQ', '%ff']),
      'resourceVersion=' + m.pick(['abc', '-1', '999999999', '0']),
      'resourceVersionMatch=' + m.pick(['Exact', 'NotOlderThan', 'Bogus']),
      'timeoutSeconds=' + m.pick(['abc', '-1']),
      'watch=' + m.pick(['maybe', '0', 'false']),
      'pretty=' + m.pick(['x', 'true']),
    ];
    const query = Array.from({ length: 1 + m.int(3) }, () => m.pick(params)).join('&');
    return {
      label: 'list with bad query',
      method: 'GET',
      path: `${seed.path}?${query}`,
      headers: {
        accept: m.pick([
          'application/json',
          'application/json;as=Table;v=v1;g=meta.k8s.io',
          'text/html',
          '*/*',
          'application/vnd.kubernetes.protobuf',
        ]),
      },
    };
  }
  if (kind < 94) {
    const body = m.pick<Json>([
      { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Bogus' },
      { gracePeriodSeconds: -5 },
      { gracePeriodSeconds: 'soon' },
      { preconditions: { uid: 'wrong' } },
      { preconditions: { resourceVersion: 5 } },
      { dryRun: 'All' },
      m.weirdValue(),
    ]);
    return {
      label: 'delete with bad options',
      method: 'DELETE',
      path:
        itemPath(seed) + m.pick(['', '?gracePeriodSeconds=abc', '?propagationPolicy=Nope', '?dryRun=All']),
      headers: { 'content-type': 'application/json' },
      body: m.encode(body),
    };
  }
  const odd = m.pick([
    '/api/v1/namespaces/default/pods/..',
    '/api/v1/namespaces/%2e%2e/pods',
    '/api/v1/namespaces/default/pods/p/exec',
    '/api/v1/namespaces/default/pods/p/log?tailLines=abc&sinceSeconds=-1',
    '/api/v1/namespaces/default/pods/p/eviction',
    '/api/v1/namespaces/default/pods/p/binding',
    '/api/v1/namespaces/' + 'n'.repeat(8000) + '/pods',
    '/apis/nope.example.com/v1/things',
    '/api/v9/pods',
    '/api/v1/namespaces/default/configmaps/%ff%fe',
    '/api/v1/namespaces/default/configmaps/a%00b',
    '//api//v1',
    '/apis/apps/v1/namespaces/default/deployments/d/scale',
    '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
    '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    '/api/v1/namespaces/default/serviceaccounts/default/token',
  ]);
  return {
    label: 'odd path',
    method: m.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']),
    path: odd,
    headers: { 'content-type': m.contentType() },
    body: m.encode(m.mutateObject(seed.object)),
  };
}
