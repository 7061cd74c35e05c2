import { describe, expect, it } from 'vitest';
import { findUnknownFields, hasSchema } from './index';

const deployment = (podSpec: Record<string, unknown>, extraSpec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'a/b': 'c' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: { metadata: { labels: { app: 'web' } }, spec: podSpec },
    ...extraSpec,
  },
});

describe('hasSchema', () => {
  it('knows served kinds and their lists, and nothing else', () => {
    expect(hasSchema('v1', 'Pod')).toBe(true);
    expect(hasSchema('apps/v1', 'Deployment')).toBe(true);
    expect(hasSchema('apps/v1', 'DeploymentList')).toBe(true);
    expect(hasSchema('autoscaling/v2', 'HorizontalPodAutoscaler')).toBe(true);
    expect(hasSchema('events.k8s.io/v1', 'Event')).toBe(true);
    expect(hasSchema('apps/v1', 'Pod')).toBe(false);
    expect(hasSchema('example.com/v1', 'Widget')).toBe(false);
  });
});

describe('findUnknownFields', () => {
  it('accepts a valid object, including maps, IntOrString and Quantity values', () => {
    const obj = deployment({
      containers: [
        {
          name: 'web',
          image: 'nginx',
          imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 80, name: 'http' }],
          env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 0.1 } },
          readinessProbe: { httpGet: { path: '/', port: 'http' } },
          restartPolicy: 'Always',
          resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
        },
      ],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      volumes: [{ name: 'data', emptyDir: {} }],
    });
    expect(findUnknownFields('apps/v1', 'Deployment', obj)).toEqual([]);
  });

  it('reports paths the way strict decoding prints them, in document order', () => {
    const obj = deployment(
      { containers: [{ name: 'web', image: 'nginx', imagePullPolcy: 'Always' }] },
      { foo: 1 },
    );
    expect(findUnknownFields('apps/v1', 'Deployment', obj)).toEqual([
      'spec.template.spec.containers[0].imagePullPolcy',
      'spec.foo',
    ]);
  });

  it('reports top-level and metadata fields', () => {
    expect(
      findUnknownFields('v1', 'ConfigMap', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x', lables: { a: 'b' } },
        data: { k: 'v' },
        extra: true,
      }),
    ).toEqual(['metadata.lables', 'extra']);
  });

  it('indexes into nested lists and walks values of maps of objects', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'a', image: 'x' },
          { name: 'b', image: 'y', ports: [{ containerPort: 1 }, { containerPort: 2, hostPorts: 3 }] },
        ],
      },
    };
    expect(findUnknownFields('v1', 'Pod', pod)).toEqual(['spec.containers[1].ports[1].hostPorts']);
  });

  it('accepts anything inside RawExtension and FieldsV1', () => {
    expect(
      findUnknownFields('apps/v1', 'ControllerRevision', {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name: 'r',
          managedFields: [{ manager: 'm', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { '.': {} } } }],
        },
        data: { anything: { goes: [1, 2] } },
        revision: 1,
      }),
    ).toEqual([]);
  });

  it('returns nothing for kinds without a schema', () => {
    expect(findUnknownFields('example.com/v1', 'Widget', { spec: { foo: 1 } })).toEqual([]);
  });
});
