import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { ApiError } from '../status';
import { applyJsonPatch } from './json-patch';
import { recordUpdate } from './record-update';
import { applyServerSide } from './server-side-apply';
import { LAST_APPLIED, applyV2ServerSide, storedV1 } from './kubectl-captures.fixture';

const T0 = new Date('2026-11-22T01:00:00Z');
const T1 = new Date('2026-11-22T01:05:00Z');
const T2 = new Date('2026-11-22T01:10:00Z');

type Json = Record<string, unknown>;
const spec = (o: KubeObject): Json => o.spec as Json;
const containers = (o: KubeObject): Json[] =>
  ((spec(o).template as Json).spec as { containers: Json[] }).containers;
const fieldsOf = (o: KubeObject, manager: string): unknown =>
  o.metadata.managedFields?.find((e) => e.manager === manager)?.fieldsV1;

/** What Kubernetes records for `kubectl apply --server-side -f v2.yaml`. */
const V2_APPLY_FIELDS = {
  'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:selector': {},
    'f:strategy': { 'f:type': {} },
    'f:template': {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"web"}': {
            '.': {},
            'f:env': {
              'k:{"name":"B"}': { '.': {}, 'f:name': {}, 'f:value': {} },
              'k:{"name":"C"}': { '.': {}, 'f:name': {}, 'f:value': {} },
            },
            'f:image': {},
            'f:name': {},
            'f:ports': {
              'k:{"containerPort":443,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
              'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
            },
          },
        },
      },
    },
  },
};

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

/** The v1 Deployment created by client-side apply, with its managedFields. */
function csaLive(): KubeObject {
  return recordUpdate({
    old: undefined,
    updated: storedV1(),
    manager: 'kubectl-client-side-apply',
    apiVersion: 'apps/v1',
    now: T0,
  });
}

const partial = (spec: Json | undefined, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', ...(labels ? { labels } : {}) },
  ...(spec ? { spec } : {}),
});

/** The v2 manifest without its strategy change (a defaulted field client-side apply owns). */
function v2KeepingStrategy(): KubeObject {
  const applied = structuredClone(applyV2ServerSide);
  delete spec(applied).strategy;
  return applied;
}

describe('applyServerSide', () => {
  it('creates from the applied configuration and records an Apply entry', () => {
    const out = applyServerSide({
      live: undefined,
      applied: applyV2ServerSide,
      manager: 'kubectl',
      force: false,
      apiVersion: 'apps/v1',
      now: T0,
    });
    expect(out.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-11-22T01:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: V2_APPLY_FIELDS,
      },
    ]);
    expect({ ...out, metadata: { ...out.metadata, managedFields: undefined } }).toEqual({
      ...applyV2ServerSide,
      metadata: { ...applyV2ServerSide.metadata, managedFields: undefined },
    });
  });

  it('a field owned by another manager with a different value is a 409 conflict', () => {
    const err = apiError(() =>
      applyServerSide({
        live: csaLive(),
        applied: partial({ replicas: 3 }),
        manager: 'other',
        force: false,
        apiVersion: 'apps/v1',
        now: T1,
      }),
    );
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
    expect(err.toStatus().details).toEqual({
      causes: [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl-client-side-apply" using apps/v1',
          field: '.spec.replicas',
        },
      ],
    });
  });

  it('lists several conflicts per manager', () => {
    const err = apiError(() =>
      applyServerSide({
        live: csaLive(),
        applied: partial({
          replicas: 3,
          template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } },
        }),
        manager: 'other',
        force: false,
        apiVersion: 'apps/v1',
        now: T1,
      }),
    );
    expect(err.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
    expect(err.details?.causes?.map((c) => c.field)).toEqual([
      '.spec.replicas',
      '.spec.template.spec.containers[name="web"].image',
    ]);
  });

  it('the same value is shared ownership, not a conflict', () => {
    const out = applyServerSide({
      live: csaLive(),
      applied: partial({ replicas: 2 }),
      manager: 'other',
      force: false,
      apiVersion: 'apps/v1',
      now: T1,
    });
    expect(spec(out).replicas).toBe(2);
    expect(fieldsOf(out, 'other')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(
      (fieldsOf(out, 'kubectl-client-side-apply') as Record<string, Json>)['f:spec']['f:replicas'],
    ).toEqual({});
  });

  it('force moves ownership of conflicting fields', () => {
    const out = applyServerSide({
      live: csaLive(),
      applied: partial({ replicas: 3 }),
      manager: 'other',
      force: true,
      apiVersion: 'apps/v1',
      now: T1,
    });
    expect(spec(out).replicas).toBe(3);
    expect(fieldsOf(out, 'other')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(
      (fieldsOf(out, 'kubectl-client-side-apply') as Record<string, Json>)['f:spec']['f:replicas'],
    ).toBeUndefined();
    expect(out.metadata.managedFields?.map((e) => [e.manager, e.operation])).toEqual([
      ['other', 'Apply'],
      ['kubectl-client-side-apply', 'Update'],
    ]);
  });

  it('kubectl apply --server-side after client-side apply takes the last-applied fields without conflict', () => {
    const live = csaLive();
    const applied = v2KeepingStrategy();
    const out = applyServerSide({
      live,
      applied,
      manager: 'kubectl',
      force: false,
      apiVersion: 'apps/v1',
      now: T1,
    });
    expect(spec(out).replicas).toBe(3);
    expect(containers(out).map((c) => c.name)).toEqual(['web', 'sidecar']);
    expect(containers(out)[0]).toEqual({
      name: 'web',
      image: 'nginx:2',
      ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }],
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
        { name: 'C', value: '3' },
      ],
      imagePullPolicy: 'IfNotPresent',
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
    const csa = fieldsOf(out, 'kubectl-client-side-apply') as Record<string, Json>;
    expect(csa['f:spec']['f:replicas']).toBeUndefined();
    // kubectl keeps the client-side annotation in step with what it applied.
    expect(out.metadata.annotations?.[LAST_APPLIED]).toBe(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web","tier":"fe"},"name":"web","namespace":"default"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"B","value":"2"},{"name":"C","value":"3"}],"image":"nginx:2","name":"web","ports":[{"containerPort":80},{"containerPort":443}]}]}}}}\n',
    );
  });

  it('a defaulted field owned by client-side apply conflicts when the manifest changes it', () => {
    const err = apiError(() =>
      applyServerSide({
        live: csaLive(),
        applied: applyV2ServerSide,
        manager: 'kubectl',
        force: false,
        apiVersion: 'apps/v1',
        now: T1,
      }),
    );
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.strategy.type',
    );
  });

  it('a field changed since the last client-side apply still conflicts for kubectl', () => {
    const live = csaLive();
    const edited = recordUpdate({
      old: live,
      updated: { ...structuredClone(live), spec: { ...spec(live), replicas: 7 } },
      manager: 'kubectl-scale',
      apiVersion: 'apps/v1',
      now: T1,
    });
    const err = apiError(() =>
      applyServerSide({
        live: edited,
        applied: v2KeepingStrategy(),
        manager: 'kubectl',
        force: false,
        apiVersion: 'apps/v1',
        now: T2,
      }),
    );
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas',
    );
  });

  it('after kubectl moves client-side ownership to its Apply entry, server-side apply prunes what v2 dropped', () => {
    const live = csaLive();
    const csaEntry = live.metadata.managedFields?.[0];
    // kubectl's upgrade step: a JSON patch rewriting managedFields (manager kubectl, operation Apply).
    const upgraded = applyJsonPatch(live, [
      { op: 'test', path: '/metadata/resourceVersion', value: '100' },
      {
        op: 'replace',
        path: '/metadata/managedFields',
        value: [{ ...csaEntry, manager: 'kubectl', operation: 'Apply' }],
      },
    ]);
    const stored = recordUpdate({
      old: live,
      updated: upgraded,
      manager: 'kubectl',
      apiVersion: 'apps/v1',
      now: T1,
    });
    expect(stored.metadata.managedFields?.map((e) => [e.manager, e.operation])).toEqual([
      ['kubectl', 'Apply'],
    ]);
    const out = applyServerSide({
      live: stored,
      applied: applyV2ServerSide,
      manager: 'kubectl',
      force: false,
      apiVersion: 'apps/v1',
      now: T2,
    });
    // Everything the upgraded entry owned and v2 omits goes, defaults included; the registry's
    // defaulting puts those back afterwards, as in Kubernetes.
    expect(spec(out).strategy).toEqual({ type: 'Recreate' });
    expect(containers(out)).toEqual([
      {
        name: 'web',
        image: 'nginx:2',
        ports: [{ containerPort: 80 }, { containerPort: 443 }],
        env: [
          { name: 'B', value: '2' },
          { name: 'C', value: '3' },
        ],
      },
    ]);
    expect(spec(out).revisionHistoryLimit).toBeUndefined();
    expect(out.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-11-22T01:10:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: V2_APPLY_FIELDS,
      },
    ]);
  });

  it('removes fields the manager stopped applying, unless another manager owns them', () => {
    const first = applyServerSide({
      live: undefined,
      applied: partial(
        {
          replicas: 1,
          template: {
            spec: {
              containers: [
                { name: 'a', image: 'x' },
                { name: 'b', image: 'y' },
              ],
            },
          },
        },
        { app: 'web', tier: 'fe' },
      ),
      manager: 'mgr',
      force: false,
      apiVersion: 'apps/v1',
      now: T0,
    });
    const labelled = applyServerSide({
      live: first,
      applied: partial(undefined, { tier: 'fe' }),
      manager: 'labeller',
      force: false,
      apiVersion: 'apps/v1',
      now: T1,
    });
    const second = applyServerSide({
      live: labelled,
      applied: partial({ template: { spec: { containers: [{ name: 'a', image: 'x' }] } } }, { app: 'web' }),
      manager: 'mgr',
      force: false,
      apiVersion: 'apps/v1',
      now: T2,
    });
    expect(second.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
    expect(spec(second).replicas).toBeUndefined();
    expect(containers(second)).toEqual([{ name: 'a', image: 'x' }]);
    expect(fieldsOf(second, 'mgr')).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:template': {
          'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
    expect(fieldsOf(second, 'labeller')).toEqual({ 'f:metadata': { 'f:labels': { 'f:tier': {} } } });
  });

  it('merges keyed lists with live-only elements and sets (finalizers) by value', () => {
    const live: KubeObject = {
      ...storedV1(),
      metadata: { ...storedV1().metadata, finalizers: ['a/x'] },
    };
    const out = applyServerSide({
      live,
      applied: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', finalizers: ['b/y'] },
        spec: { template: { spec: { containers: [{ name: 'extra', image: 'e' }] } } },
      },
      manager: 'mgr',
      force: false,
      apiVersion: 'apps/v1',
      now: T1,
    });
    expect(out.metadata.finalizers).toEqual(['a/x', 'b/y']);
    expect(containers(out).map((c) => c.name)).toEqual(['web', 'sidecar', 'extra']);
    expect(fieldsOf(out, 'mgr')).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"b/y"': {} } },
      'f:spec': {
        'f:template': {
          'f:spec': { 'f:containers': { 'k:{"name":"extra"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
  });

  it('an apply that changes nothing keeps the entry time', () => {
    const first = applyServerSide({
      live: undefined,
      applied: applyV2ServerSide,
      manager: 'kubectl',
      force: false,
      apiVersion: 'apps/v1',
      now: T0,
    });
    const again = applyServerSide({
      live: first,
      applied: applyV2ServerSide,
      manager: 'kubectl',
      force: false,
      apiVersion: 'apps/v1',
      now: T1,
    });
    expect(again).toEqual(first);
  });

  it('conflicts with another applier name the manager without a version', () => {
    const first = applyServerSide({
      live: undefined,
      applied: partial({ replicas: 1 }),
      manager: 'a',
      force: false,
      apiVersion: 'apps/v1',
      now: T0,
    });
    const err = apiError(() =>
      applyServerSide({
        live: first,
        applied: partial({ replicas: 2 }),
        manager: 'b',
        force: false,
        apiVersion: 'apps/v1',
        now: T1,
      }),
    );
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "a": .spec.replicas');
  });

  it('attributes an untracked object to before-first-apply, so differing values conflict', () => {
    const untracked = storedV1();
    const err = apiError(() =>
      applyServerSide({
        live: untracked,
        applied: partial({ replicas: 5 }),
        manager: 'mgr',
        force: false,
        apiVersion: 'apps/v1',
        now: T1,
      }),
    );
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas',
    );
    const same = applyServerSide({
      live: untracked,
      applied: partial({ replicas: 2 }),
      manager: 'mgr',
      force: false,
      apiVersion: 'apps/v1',
      now: T1,
    });
    expect(same.metadata.managedFields?.map((e) => [e.manager, e.operation])).toEqual([
      ['mgr', 'Apply'],
      ['before-first-apply', 'Update'],
    ]);
  });

  it('rejects bodies carrying managedFields or another API version (400)', () => {
    const withManaged = { ...partial({ replicas: 1 }), metadata: { name: 'web', managedFields: [] } };
    const e1 = apiError(() =>
      applyServerSide({
        live: undefined,
        applied: withManaged,
        manager: 'm',
        force: false,
        apiVersion: 'apps/v1',
        now: T0,
      }),
    );
    expect([e1.code, e1.reason, e1.message]).toEqual([
      400,
      'BadRequest',
      'metadata.managedFields must be nil',
    ]);
    const e2 = apiError(() =>
      applyServerSide({
        live: undefined,
        applied: { ...partial({}), apiVersion: 'apps/v1beta1' },
        manager: 'm',
        force: false,
        apiVersion: 'apps/v1',
        now: T0,
      }),
    );
    expect(e2.message).toBe(
      'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1',
    );
  });

  it('applies custom resources with untyped merge (lists atomic)', () => {
    const cr = (items: unknown[], extra?: Json): KubeObject => ({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { items, ...extra },
    });
    const first = applyServerSide({
      live: undefined,
      applied: cr([1, 2], { a: { b: 1 } }),
      manager: 'm',
      force: false,
      apiVersion: 'example.com/v1',
      now: T0,
    });
    const second = applyServerSide({
      live: first,
      applied: cr([3]),
      manager: 'm',
      force: false,
      apiVersion: 'example.com/v1',
      now: T1,
    });
    expect(second.spec).toEqual({ items: [3] });
    expect(fieldsOf(second, 'm')).toEqual({ 'f:spec': { 'f:items': {} } });
  });

  it('rejects keyed list elements without their key, and duplicates, as Kubernetes does', () => {
    const e1 = apiError(() =>
      applyServerSide({
        live: undefined,
        applied: partial({ template: { spec: { containers: [{ name: 'web', env: [{ value: 'x' }] }] } } }),
        manager: 'm',
        force: false,
        apiVersion: 'apps/v1',
        now: T0,
      }),
    );
    expect(e1.code).toBe(400);
    expect(e1.message).toBe(
      'failed to create typed patch object (apps/v1, Kind=Deployment): .spec.template.spec.containers[name="web"].env: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    );
    const e2 = apiError(() =>
      applyServerSide({
        live: undefined,
        applied: partial({ template: { spec: { containers: [{ name: 'a' }, { name: 'a' }] } } }),
        manager: 'm',
        force: false,
        apiVersion: 'apps/v1',
        now: T0,
      }),
    );
    expect(e2.message).toBe(
      'failed to create typed patch object (apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="a"]',
    );
  });

  it('records the subresource of an apply through /status', () => {
    const live = csaLive();
    const out = applyServerSide({
      live,
      applied: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        status: { replicas: 2 },
      },
      manager: 'controller',
      force: false,
      apiVersion: 'apps/v1',
      now: T1,
      subresource: 'status',
    });
    expect(out.metadata.managedFields?.[0]).toEqual({
      manager: 'controller',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2026-11-22T01:05:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:replicas': {} } },
      subresource: 'status',
    });
  });
});
