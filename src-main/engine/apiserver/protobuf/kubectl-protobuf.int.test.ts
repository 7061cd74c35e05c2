import { describe, expect, it } from 'vitest';
import { capture } from './fixtures/capture';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from './index';

// Runs the real kubectl binaries against a recording HTTPS server and decodes what they send, so
// a kubectl upgrade that changes its protobuf bodies shows up here before users see it.

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

const GENERATORS = [
  'deployment',
  'secret-generic',
  'service-nodeport',
  'ingress',
  'cronjob',
  'job-from-rich-cronjob',
  'quota',
  'pdb-min-available',
  'priorityclass-zero',
  'autoscale',
  'can-i',
];

describe('kubectl protobuf bodies, live', () => {
  it('decode to what the same kubectl prints with --dry-run=client -o json', async () => {
    const captured = await capture(['1.32', '1.33'], GENERATORS);
    for (const version of ['1.32', '1.33']) {
      const cases = captured[version];
      expect(cases.map((c) => c.name).sort()).toEqual([...GENERATORS].sort());
      for (const c of cases) {
        expect(isKubernetesProtobuf(c.contentType), `${version} ${c.name} content type`).toBe(true);
        const decoded = decodeKubernetesProtobuf(Buffer.from(c.body, 'base64'));
        expect(withoutNulls(decoded), `${version} ${c.name}`).toEqual(withoutNulls(c.expected));
      }
    }
  });

  it('is not what kubectl 1.31 and older send', async () => {
    const captured = await capture(['1.27', '1.31'], ['deployment', 'can-i']);
    for (const cases of Object.values(captured)) {
      for (const c of cases) expect(c.contentType).toBe('application/json');
    }
  });
});
