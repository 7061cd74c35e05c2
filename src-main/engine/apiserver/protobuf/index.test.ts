import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../status';
import type { CaptureCase } from './fixtures/capture';
import {
  KUBERNETES_PROTOBUF,
  decodeKubernetesProtobuf,
  isKubernetesProtobuf,
  supportedProtobufKinds,
} from './index';
import { resolveAllMessages } from './schema/registry';

const here = dirname(fileURLToPath(import.meta.url));

function loadCases(version: string): CaptureCase[] {
  return JSON.parse(readFileSync(join(here, 'fixtures', `kubectl-${version}.json`), 'utf8')) as CaptureCase[];
}

/**
 * Go's JSON encoder prints `null` for nil slices, maps and pointers of fields without
 * `omitempty` (`rules: null`, `audiences: null`); protobuf cannot tell nil from absent, and
 * Kubernetes treats the two alike, so nulls are not compared.
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  }
  return value;
}

/** Drops generated names and timestamps that differ between the protobuf run and the JSON run. */
function withoutPaths(value: unknown, paths: string[]): unknown {
  const copy = structuredClone(value);
  for (const path of paths) {
    const keys = path.split('.');
    let node: unknown = copy;
    for (const key of keys.slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[key];
    if (node && typeof node === 'object') delete (node as Record<string, unknown>)[keys[keys.length - 1]];
  }
  return copy;
}

function decodeError(body: Uint8Array): ApiError {
  try {
    decodeKubernetesProtobuf(body);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw new Error(`decode threw a non-ApiError: ${String(err)}`, { cause: err });
  }
  throw new Error('decode did not throw');
}

describe.each(['1.32', '1.33'])('bodies captured from kubectl %s', (version) => {
  const cases = loadCases(version);
  const protobufCases = cases.filter((c) => isKubernetesProtobuf(c.contentType));

  it('has captured the typed generators', () => {
    expect(protobufCases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(protobufCases.map((c) => [c.name, c] as const))('decodes %s like the JSON encoding', (_name, c) => {
    const decoded = decodeKubernetesProtobuf(Buffer.from(c.body, 'base64'));
    const ignore = c.ignorePaths ?? [];
    expect(withoutPaths(withoutNulls(decoded), ignore)).toEqual(
      withoutPaths(withoutNulls(c.expected), ignore),
    );
  });

  it('sends JSON, not protobuf, for run and expose', () => {
    for (const name of ['run', 'expose']) {
      const c = cases.find((x) => x.name === name);
      expect(c?.contentType).toBe('application/json');
    }
  });
});

describe('decodeKubernetesProtobuf', () => {
  const deployment = loadCases('1.33').find((c) => c.name === 'deployment');
  const body = new Uint8Array(Buffer.from(deployment?.body ?? '', 'base64'));

  it('keeps a pointer field set to zero (replicas: 0)', () => {
    const c = loadCases('1.33').find((x) => x.name === 'deployment-zero-replicas');
    const decoded = decodeKubernetesProtobuf(Buffer.from(c?.body ?? '', 'base64'));
    expect((decoded.spec as { replicas?: number }).replicas).toBe(0);
  });

  it('turns Secret data into base64 strings', () => {
    const c = loadCases('1.33').find((x) => x.name === 'secret-generic');
    const decoded = decodeKubernetesProtobuf(Buffer.from(c?.body ?? '', 'base64'));
    expect(decoded.data).toEqual({ a: 'Yg==', bin: 'AAEC/v+A' });
  });

  it('decodes the approval kubectl certificate approve writes, with its timestamp and extra', () => {
    const c = loadCases('1.33').find((x) => x.name === 'certificate-approve');
    const csr = decodeKubernetesProtobuf(Buffer.from(c?.body ?? '', 'base64')) as unknown as {
      spec: { request: string; extra: Record<string, string[]> };
      status: { conditions: Array<{ type: string; lastUpdateTime: string }> };
    };
    expect(csr.spec.request).toBe('LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K');
    expect(csr.spec.extra).toEqual({ scopes: ['a', 'b'] });
    expect(csr.status.conditions[0].type).toBe('Approved');
    expect(csr.status.conditions[0].lastUpdateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('rejects a body without the k8s prefix with 400 BadRequest', () => {
    const err = decodeError(new TextEncoder().encode('{"kind":"Pod"}'));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe(
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
  });

  it('rejects an unknown kind by name', () => {
    // k8s\0 + Unknown{typeMeta{apiVersion: "v1", kind: "Gizmo"}, raw: ""}
    const typeMeta = [0x0a, 2, ...Buffer.from('v1'), 0x12, 5, ...Buffer.from('Gizmo')];
    const err = decodeError(new Uint8Array([0x6b, 0x38, 0x73, 0, 0x0a, typeMeta.length, ...typeMeta]));
    expect(err.code).toBe(400);
    expect(err.message).toBe('no kind "Gizmo" is registered for version "v1"');
  });

  it('rejects every truncation inside the object with 400, never a crash', () => {
    // Past the envelope's type header and before its trailing empty contentEncoding/contentType.
    for (let cut = 40; cut < body.length - 4; cut++) {
      const err = decodeError(body.subarray(0, cut));
      expect(err.code).toBe(400);
      expect(err.message).toMatch(/^unable to decode the protobuf body: /);
    }
  });

  it('answers corrupted bodies with a decoded object or a 400, never anything else', () => {
    const rich = loadCases('1.33').find((x) => x.name === 'job-from-rich-cronjob');
    const body = new Uint8Array(Buffer.from(rich?.body ?? '', 'base64'));
    expect(body.length).toBeGreaterThan(4000);
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 2000; round++) {
      const copy = new Uint8Array(body);
      const flips = 1 + Math.floor(random() * 4);
      for (let i = 0; i < flips; i++)
        copy[4 + Math.floor(random() * (copy.length - 4))] = Math.floor(random() * 256);
      try {
        decodeKubernetesProtobuf(copy);
      } catch (err) {
        expect(err).toBeInstanceOf(ApiError);
        expect((err as ApiError).code).toBe(400);
      }
    }
  });

  it('recognises the media type with parameters', () => {
    expect(isKubernetesProtobuf(`${KUBERNETES_PROTOBUF}; charset=utf-8`)).toBe(true);
    expect(isKubernetesProtobuf('application/json')).toBe(false);
    expect(isKubernetesProtobuf(undefined)).toBe(false);
  });

  it('knows every kind the kubectl generators send', () => {
    const kinds = new Set(supportedProtobufKinds().map((k) => `${k.apiVersion} ${k.kind}`));
    for (const c of loadCases('1.33').filter((x) => isKubernetesProtobuf(x.contentType))) {
      const expected = c.expected as { apiVersion: string; kind: string };
      expect(kinds).toContain(`${expected.apiVersion} ${expected.kind}`);
    }
  });
});

describe('schema tables', () => {
  it('resolve every message reference', () => {
    expect(resolveAllMessages()).toBeGreaterThan(300);
  });
});
