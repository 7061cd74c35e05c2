import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { ApiError } from '../status';
import { applyStrategicMergePatch } from './strategic-merge-patch';
import { unresolvedTypeNames } from './schema';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, finalizers: ['a', 'b', 'c'] },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1',
            args: ['a', 'b'],
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
          { name: 'sidecar', image: 'busybox' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
        tolerations: [{ key: 'x', operator: 'Exists' }],
      },
    },
  },
});

const smp = (patch: unknown, doc = deployment()): KubeObject =>
  applyStrategicMergePatch(doc, patch, 'apps/v1', 'Deployment');
const containers = (d: KubeObject): Record<string, unknown>[] =>
  ((d.spec as Record<string, unknown>).template as { spec: { containers: Record<string, unknown>[] } }).spec
    .containers;
const podSpec = (d: KubeObject): Record<string, unknown> =>
  ((d.spec as Record<string, unknown>).template as { spec: Record<string, unknown> }).spec;

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('applyStrategicMergePatch', () => {
  it('keeps the kind table whole', () => {
    expect(unresolvedTypeNames()).toEqual([]);
  });

  it('merges containers by name and env by name, leaving other elements alone', () => {
    const input = deployment();
    const out = smp(
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'web',
                  image: 'nginx:2',
                  env: [
                    { name: 'B', value: '3' },
                    { name: 'C', value: '4' },
                  ],
                },
              ],
            },
          },
        },
      },
      input,
    );
    expect(containers(out)).toEqual([
      {
        name: 'web',
        image: 'nginx:2',
        args: ['a', 'b'],
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '3' },
          { name: 'C', value: '4' },
        ],
      },
      { name: 'sidecar', image: 'busybox' },
    ]);
    expect(containers(input)[0].image).toBe('nginx:1');
  });

  it('replaces atomic lists (args, tolerations)', () => {
    const out = smp({
      spec: {
        template: {
          spec: {
            tolerations: [{ key: 'y', operator: 'Exists' }],
            containers: [{ name: 'web', args: ['c'] }],
          },
        },
      },
    });
    expect(podSpec(out).tolerations).toEqual([{ key: 'y', operator: 'Exists' }]);
    expect(containers(out)[0].args).toEqual(['c']);
  });

  it('deletes list elements with $patch: delete and fields with null', () => {
    const out = smp({
      metadata: { labels: { app: null, tier: 'fe' } },
      spec: { replicas: null, template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } },
    });
    expect(out.metadata.labels).toEqual({ tier: 'fe' });
    expect((out.spec as Record<string, unknown>).replicas).toBeUndefined();
    expect(containers(out).map((c) => c.name)).toEqual(['web']);
  });

  it('replaces a list with $patch: replace and a map with $patch: replace', () => {
    const out = smp({
      spec: {
        template: { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } },
        selector: { $patch: 'replace', matchLabels: { app: 'other' } },
      },
    });
    expect(containers(out)).toEqual([{ name: 'only', image: 'x' }]);
    expect((out.spec as Record<string, unknown>).selector).toEqual({ matchLabels: { app: 'other' } });
  });

  it('$patch: delete on a map empties it', () => {
    const out = smp({ spec: { strategy: { $patch: 'delete' } } });
    expect((out.spec as Record<string, unknown>).strategy).toEqual({});
  });

  it('honours $retainKeys on the deployment strategy', () => {
    const out = smp({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    expect((out.spec as Record<string, unknown>).strategy).toEqual({ type: 'Recreate' });
  });

  it('honours $retainKeys on volumes (merge,retainKeys)', () => {
    const out = smp({
      spec: {
        template: {
          spec: {
            volumes: [{ name: 'data', $retainKeys: ['name', 'configMap'], configMap: { name: 'cm' } }],
          },
        },
      },
    });
    expect(podSpec(out).volumes).toEqual([{ name: 'data', configMap: { name: 'cm' } }]);
  });

  it('rejects a patch with keys missing from $retainKeys (400)', () => {
    const err = apiError(() =>
      smp({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: {} } } }),
    );
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe('invalid patch format of retainKeys');
  });

  it('orders merged lists by $setElementOrder', () => {
    const out = smp({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'new' }, { name: 'web' }],
            containers: [{ name: 'new', image: 'n' }],
          },
        },
      },
    });
    expect(containers(out).map((c) => c.name)).toEqual(['sidecar', 'new', 'web']);
  });

  it('orders env with $setElementOrder when an element is added in the middle', () => {
    const out = smp({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'web',
                '$setElementOrder/env': [{ name: 'A' }, { name: 'X' }, { name: 'B' }],
                env: [{ name: 'X', value: 'x' }],
              },
            ],
          },
        },
      },
    });
    expect((containers(out)[0].env as { name: string }[]).map((e) => e.name)).toEqual(['A', 'X', 'B']);
  });

  it('merges and deletes from primitive merge lists (finalizers)', () => {
    // Without $setElementOrder, patch elements keep the patch's order and lead where the live
    // list gives no order to compare with (Kubernetes' normalizeElementOrder).
    const added = smp({ metadata: { finalizers: ['d', 'a'] } });
    expect(added.metadata.finalizers).toEqual(['d', 'a', 'b', 'c']);
    const deleted = smp({ metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } });
    expect(deleted.metadata.finalizers).toEqual(['a', 'c']);
    const ordered = smp({ metadata: { '$setElementOrder/finalizers': ['c', 'a', 'b'] } });
    expect(ordered.metadata.finalizers).toEqual(['c', 'a', 'b']);
  });

  it('merges container ports by containerPort and service ports by port', () => {
    const out = smp({
      spec: { template: { spec: { containers: [{ name: 'web', ports: [{ containerPort: 443 }] }] } } },
    });
    // A new element with no $setElementOrder lands before live-only ones, as in Kubernetes.
    expect(containers(out)[0].ports).toEqual([
      { containerPort: 443 },
      { containerPort: 80, protocol: 'TCP' },
    ]);
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'a', tier: 'b' } },
    };
    const patched = applyStrategicMergePatch(
      svc,
      { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
      'v1',
      'Service',
    );
    expect((patched.spec as Record<string, unknown>).ports).toEqual([{ port: 80, targetPort: 9090 }]);
  });

  it('merges conditions by type and ownerReferences by uid', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        ownerReferences: [{ uid: 'u1', kind: 'ReplicaSet', name: 'rs', apiVersion: 'apps/v1' }],
      },
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'Initialized', status: 'True' },
        ],
      },
    };
    const out = applyStrategicMergePatch(
      pod,
      {
        metadata: {
          ownerReferences: [{ uid: 'u2', kind: 'ReplicaSet', name: 'rs2', apiVersion: 'apps/v1' }],
        },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
      'v1',
      'Pod',
    );
    expect(out.metadata.ownerReferences?.map((o) => o.uid)).toEqual(['u2', 'u1']);
    expect((out.status as Record<string, unknown>).conditions).toEqual([
      { type: 'Ready', status: 'True' },
      { type: 'Initialized', status: 'True' },
    ]);
  });

  it('merges pod templates inside CronJobs', () => {
    const cj: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'a', image: 'x' },
                  { name: 'b', image: 'y' },
                ],
              },
            },
          },
        },
      },
    };
    const out = applyStrategicMergePatch(
      cj,
      {
        spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'z' }] } } } } },
      },
      'batch/v1',
      'CronJob',
    );
    expect(out.spec).toEqual({
      schedule: '* * * * *',
      jobTemplate: {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'a', image: 'x' },
                { name: 'b', image: 'z' },
              ],
            },
          },
        },
      },
    });
  });

  it('answers 415 for kinds without patch metadata (custom resources)', () => {
    const err = apiError(() =>
      applyStrategicMergePatch(
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
        {},
        'example.com/v1',
        'Widget',
      ),
    );
    expect(err.code).toBe(415);
    expect(err.reason).toBe('UnsupportedMediaType');
    expect(err.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });

  it('reports a list element without its merge key like Kubernetes', () => {
    const err = apiError(() => smp({ spec: { template: { spec: { containers: [{ image: 'x' }] } } } }));
    expect(err.code).toBe(400);
    expect(err.message).toBe('map: map[image:x] does not contain declared merge key: name');
  });

  it('adds a list that did not exist, dropping nulls and directives', () => {
    const out = smp({
      spec: {
        template: {
          spec: {
            initContainers: [
              { name: 'init', image: 'i', command: null },
              { name: 'gone', $patch: 'delete' },
            ],
          },
        },
      },
    });
    expect(podSpec(out).initContainers).toEqual([{ name: 'init', image: 'i' }]);
  });
});
