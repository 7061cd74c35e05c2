import protobuf from 'protobufjs/minimal';
import type { Writer } from 'protobufjs/minimal';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../status';
import { decodeKubernetesProtobuf } from './index';

// Hand-built bodies for what the kubectl generators never send: the captured fixtures in
// index.test.ts cover the generators themselves.

const LEN = 2;
const VARINT = 0;

function tag(field: number, wire: number): number {
  return (field << 3) | wire;
}

/** Writes a length-delimited sub-message built by `build`. */
function sub(w: Writer, field: number, build: (w: Writer) => void): Writer {
  w.uint32(tag(field, LEN)).fork();
  build(w);
  return w.ldelim();
}

function envelope(apiVersion: string, kind: string, build: (w: Writer) => void): Uint8Array {
  const raw = protobuf.Writer.create();
  build(raw);
  const w = protobuf.Writer.create();
  sub(w, 1, (t) => t.uint32(tag(1, LEN)).string(apiVersion).uint32(tag(2, LEN)).string(kind));
  w.uint32(tag(2, LEN)).bytes(raw.finish());
  w.uint32(tag(3, LEN)).string('').uint32(tag(4, LEN)).string('');
  return new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...w.finish()]);
}

describe('decodeKubernetesProtobuf on hand-built bodies', () => {
  it('prints MicroTime with microseconds and keeps non-omitempty empty strings', () => {
    const body = envelope('v1', 'Event', (w) => {
      sub(w, 1, (m) => m.uint32(tag(1, LEN)).string('e1'));
      sub(w, 10, (t) => t.uint32(tag(1, VARINT)).int64(1704164645).uint32(tag(2, VARINT)).int32(123456789));
      w.uint32(tag(8, VARINT)).int32(0);
      w.uint32(tag(14, LEN)).string('');
    });
    expect(decodeKubernetesProtobuf(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1' },
      eventTime: '2024-01-02T03:04:05.123456Z',
      reportingComponent: '',
    });
  });

  it('reads a string IntOrString, a packed repeated int64 beyond 32 bits, negative int32, and skips unknown fields', () => {
    const body = envelope('v1', 'Pod', (w) => {
      sub(w, 1, (m) => m.uint32(tag(1, LEN)).string('p'));
      sub(w, 2, (spec) => {
        sub(spec, 14, (sc) => {
          sc.uint32(tag(4, LEN)).fork().int64(1).int64(5_000_000_000).ldelim();
        });
        sub(spec, 2, (c) => {
          c.uint32(tag(1, LEN)).string('app');
          sub(c, 10, (probe) => {
            sub(probe, 1, (h) =>
              sub(h, 2, (get) =>
                sub(get, 2, (p) => p.uint32(tag(1, VARINT)).int64(1).uint32(tag(3, LEN)).string('http')),
              ),
            );
            probe.uint32(tag(2, VARINT)).int32(-1);
          });
        });
        spec.uint32(tag(999, VARINT)).uint32(7);
        spec.uint32(tag(998, LEN)).string('ignored');
      });
    });
    expect(decodeKubernetesProtobuf(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        securityContext: { supplementalGroups: [1, 5_000_000_000] },
        containers: [{ name: 'app', livenessProbe: { httpGet: { port: 'http' }, initialDelaySeconds: -1 } }],
      },
    });
  });

  it('parses RawExtension as JSON, or as a nested k8s envelope', () => {
    const nested = envelope('v1', 'ConfigMap', (w) => {
      sub(w, 1, (m) => m.uint32(tag(1, LEN)).string('inner'));
      sub(w, 2, (e) => e.uint32(tag(1, LEN)).string('k').uint32(tag(2, LEN)).string('v'));
    });
    const json = envelope('apps/v1', 'ControllerRevision', (w) => {
      sub(w, 2, (d) => d.uint32(tag(1, LEN)).bytes(new TextEncoder().encode('{"spec":{"a":1}}')));
      w.uint32(tag(3, VARINT)).int64(0);
    });
    expect(decodeKubernetesProtobuf(json)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {},
      data: { spec: { a: 1 } },
      revision: 0,
    });
    const wrapped = envelope('apps/v1', 'ControllerRevision', (w) => {
      sub(w, 2, (d) => d.uint32(tag(1, LEN)).bytes(nested));
      w.uint32(tag(3, VARINT)).int64(3);
    });
    expect(decodeKubernetesProtobuf(wrapped).data).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'inner' },
      data: { k: 'v' },
    });
  });

  it('decodes inline structs and percent IntOrStrings in a Deployment strategy', () => {
    const body = envelope('apps/v1', 'Deployment', (w) => {
      sub(w, 2, (spec) => {
        sub(spec, 4, (s) => {
          s.uint32(tag(1, LEN)).string('RollingUpdate');
          sub(s, 2, (ru) => {
            sub(ru, 1, (p) => p.uint32(tag(1, VARINT)).int64(1).uint32(tag(3, LEN)).string('25%'));
            sub(ru, 2, (p) => p.uint32(tag(1, VARINT)).int64(0).uint32(tag(2, VARINT)).int32(2));
          });
        });
        sub(spec, 3, (tpl) =>
          sub(tpl, 2, (pod) =>
            sub(pod, 1, (vol) => {
              vol.uint32(tag(1, LEN)).string('cfg');
              sub(vol, 2, (src) =>
                sub(src, 19, (cm) => sub(cm, 1, (ref) => ref.uint32(tag(1, LEN)).string('settings'))),
              );
            }),
          ),
        );
      });
    });
    expect(decodeKubernetesProtobuf(body).spec).toEqual({
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 2 } },
      template: { spec: { volumes: [{ name: 'cfg', configMap: { name: 'settings' } }] } },
    });
  });

  it('keeps a map key named __proto__ as data, as JSON.parse would', () => {
    const body = envelope('v1', 'ConfigMap', (w) => {
      sub(w, 2, (e) => e.uint32(tag(1, LEN)).string('__proto__').uint32(tag(2, LEN)).string('x'));
    });
    const data = decodeKubernetesProtobuf(body).data as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(data).toEqual(JSON.parse('{"__proto__":"x"}'));
  });

  it('rejects a field with the wrong wire type as 400', () => {
    const body = envelope('v1', 'ConfigMap', (w) => sub(w, 1, (m) => m.uint32(tag(1, VARINT)).uint32(5)));
    try {
      decodeKubernetesProtobuf(body);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(400);
      expect((err as ApiError).message).toBe(
        'unable to decode the protobuf body: field meta.ObjectMeta.name has wire type 0, expected 2',
      );
    }
  });

  it('rejects a content encoding it cannot undo', () => {
    const w = protobuf.Writer.create();
    sub(w, 1, (t) => t.uint32(tag(1, LEN)).string('v1').uint32(tag(2, LEN)).string('ConfigMap'));
    w.uint32(tag(3, LEN)).string('gzip');
    const body = new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...w.finish()]);
    expect(() => decodeKubernetesProtobuf(body)).toThrow(
      'unsupported content encoding "gzip" in the protobuf body',
    );
  });
});
