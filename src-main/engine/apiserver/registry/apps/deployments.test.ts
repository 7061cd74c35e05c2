import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { deploymentDefinition } from './deployments';

const now = new Date('2024-05-01T12:00:00Z');

function deployment(overrides: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'u1',
      creationTimestamp: '2024-05-01T11:00:00Z' as unknown as Date,
    },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
      },
      ...overrides,
    },
  };
}

function defaulted(obj: KubeObject): KubeObject {
  deploymentDefinition.applyDefaults?.(obj);
  return obj;
}

describe('Deployment defaults', () => {
  it('fills replicas, strategy, history limit, deadline and pod defaults', () => {
    const obj = defaulted(deployment());
    expect(obj.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 },
      },
    });
  });

  it('leaves Recreate without rollingUpdate and keeps explicit values', () => {
    const obj = defaulted(deployment({ replicas: 0, strategy: { type: 'Recreate' } }));
    expect(obj.spec).toMatchObject({ replicas: 0, strategy: { type: 'Recreate' } });
    expect((obj.spec as Record<string, Record<string, unknown>>).strategy.rollingUpdate).toBeUndefined();
  });
});

describe('Deployment validation', () => {
  const messages = (obj: KubeObject, old?: KubeObject) =>
    (deploymentDefinition.validate?.(defaulted(obj), old) ?? []).map((e) => `${e.field}: ${e.message}`);

  it('accepts a valid deployment', () => {
    expect(messages(deployment())).toEqual([]);
  });

  it('reports a missing selector like Kubernetes', () => {
    expect(messages(deployment({ selector: undefined }))).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('reports a selector that does not match the template labels', () => {
    expect(messages(deployment({ selector: { matchLabels: { app: 'x' } } }))).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('rejects an empty selector', () => {
    expect(messages(deployment({ selector: {} }))).toContain(
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    );
  });

  it('rejects negative replicas and a bad strategy', () => {
    expect(messages(deployment({ replicas: -1 }))).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]);
    expect(messages(deployment({ strategy: { type: 'Foo' } }))).toEqual([
      'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Foo", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    ]);
  });

  it('rejects maxSurge and maxUnavailable both 0, and bad percentages', () => {
    expect(
      messages(
        deployment({
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
        }),
      ),
    ).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
    ]);
    expect(
      messages(
        deployment({
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'x', maxUnavailable: '150%' } },
        }),
      ),
    ).toEqual([
      `spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"x"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
    ]);
    expect(messages(deployment({ strategy: { type: 'Recreate', rollingUpdate: {} } }))).toEqual([
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
  });

  it('rejects a template restartPolicy other than Always', () => {
    const obj = deployment();
    (obj.spec as Record<string, Record<string, Record<string, unknown>>>).template.spec.restartPolicy =
      'Never';
    expect(messages(obj)).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  it('rejects progressDeadlineSeconds not above minReadySeconds', () => {
    expect(messages(deployment({ progressDeadlineSeconds: 10, minReadySeconds: 10 }))).toEqual([
      'spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds',
    ]);
  });

  it('keeps the selector immutable', () => {
    const old = defaulted(deployment());
    const changed = deployment({ selector: { matchLabels: { app: 'web', tier: 'x' } } });
    (changed.spec as Record<string, Record<string, Record<string, unknown>>>).template.metadata.labels = {
      app: 'web',
      tier: 'x',
    };
    expect(messages(changed, old)).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
});

describe('Deployment table', () => {
  it('prints Ready, Up-to-date, Available, Age and the wide columns', () => {
    const obj = defaulted(deployment({ replicas: 3 }));
    obj.status = { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
    expect(deploymentDefinition.table.columns.map((c) => `${c.name}${c.priority ? '*' : ''}`)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
      'Containers*',
      'Images*',
      'Selector*',
    ]);
    expect(deploymentDefinition.table.cells(obj, { now })).toEqual([
      'web',
      '2/3',
      3,
      2,
      '60m',
      'nginx',
      'nginx:1.25',
      'app=web',
    ]);
  });

  it('prints zeros for a fresh deployment', () => {
    const obj = defaulted(deployment());
    deploymentDefinition.prepareForCreate?.(obj);
    expect(deploymentDefinition.table.cells(obj, { now }).slice(1, 4)).toEqual(['0/1', 0, 0]);
  });
});

describe('Deployment discovery', () => {
  it('has the names, categories and subresources Kubernetes shows', () => {
    expect(deploymentDefinition.shortNames).toEqual(['deploy']);
    expect(deploymentDefinition.categories).toEqual(['all']);
    expect(
      deploymentDefinition.subresources.map((s) => `${s.name}:${s.group}/${s.version}.${s.kind}`),
    ).toEqual(['status:apps/v1.Deployment', 'scale:autoscaling/v1.Scale']);
    expect(deploymentDefinition.scale?.selectorPath).toEqual(['spec', 'selector']);
  });
});
