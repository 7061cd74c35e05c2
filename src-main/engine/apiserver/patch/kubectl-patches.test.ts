import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './index';
import {
  LAST_APPLIED,
  annotatePatch,
  applyV2Patch,
  editPatch,
  labelPatch,
  restartPatch,
  scalePatch,
  setImagePatch,
  storedV1,
  unlabelPatch,
  v2LastApplied,
} from './kubectl-captures.fixture';

type Json = Record<string, unknown>;
const spec = (o: KubeObject): Json => o.spec as Json;
const template = (o: KubeObject): { metadata: Json; spec: Json & { containers: Json[] } } =>
  spec(o).template as { metadata: Json; spec: Json & { containers: Json[] } };

describe('patches the real kubectl sends, applied to a stored Deployment', () => {
  it('kubectl apply with an edited manifest (three-way strategic merge patch)', () => {
    const live = storedV1();
    const out = applyStrategicMergePatch(live, applyV2Patch, 'apps/v1', 'Deployment');
    expect(out.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
    expect(out.metadata.annotations).toEqual({ [LAST_APPLIED]: v2LastApplied });
    expect(spec(out).replicas).toBe(3);
    // The old manifest named no strategy, so kubectl sends no $retainKeys: the defaulted
    // rollingUpdate stays and validation rejects it later, exactly as Kubernetes does.
    expect(spec(out).strategy).toEqual({
      type: 'Recreate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    expect(template(out).spec.containers).toEqual([
      {
        name: 'web',
        image: 'nginx:2',
        ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }],
        env: [
          { name: 'B', value: '2' },
          { name: 'C', value: '3' },
        ],
        imagePullPolicy: 'IfNotPresent',
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ]);
    expect(template(out).spec.restartPolicy).toBe('Always');
    expect(live).toEqual(storedV1());
  });

  it('kubectl apply switching the strategy with $retainKeys drops rollingUpdate', () => {
    const out = applyStrategicMergePatch(
      storedV1(),
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      'apps/v1',
      'Deployment',
    );
    expect(spec(out).strategy).toEqual({ type: 'Recreate' });
  });

  it('kubectl edit (strategic merge patch from the edited copy)', () => {
    const out = applyStrategicMergePatch(storedV1(), editPatch, 'apps/v1', 'Deployment');
    expect(template(out).spec.containers.map((c) => [c.name, c.image])).toEqual([
      ['web', 'nginx:3'],
      ['sidecar', 'busybox'],
    ]);
    expect(out.metadata.annotations?.[LAST_APPLIED]).toContain('"image":"nginx:3"');
  });

  it('kubectl set image', () => {
    const out = applyStrategicMergePatch(storedV1(), setImagePatch, 'apps/v1', 'Deployment');
    const expected = storedV1();
    template(expected).spec.containers[0].image = 'nginx:9';
    expect(out).toEqual(expected);
  });

  it('kubectl rollout restart adds the template annotation', () => {
    const out = applyStrategicMergePatch(storedV1(), restartPatch, 'apps/v1', 'Deployment');
    expect(template(out).metadata).toEqual({
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T02:21:56Z' },
    });
  });

  it('kubectl label / annotate / label key- (merge patches)', () => {
    const labelled = applyMergePatch(storedV1(), labelPatch);
    expect(labelled.metadata.labels).toEqual({ app: 'web', env: 'prod' });
    const annotated = applyMergePatch(labelled, annotatePatch);
    expect(annotated.metadata.annotations).toEqual({
      [LAST_APPLIED]: storedV1().metadata.annotations?.[LAST_APPLIED],
      note: 'x',
    });
    const unlabelled = applyMergePatch(annotated, unlabelPatch);
    expect(unlabelled.metadata.labels).toEqual({ env: 'prod' });
  });

  it('kubectl scale (merge patch on the Scale subresource)', () => {
    const scale: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'web', namespace: 'default', resourceVersion: '100' },
      spec: { replicas: 2 },
      status: { replicas: 2, selector: 'app=web' },
    };
    expect(applyMergePatch(scale, scalePatch)).toEqual({ ...scale, spec: { replicas: 5 } });
  });

  it('kubectl rollout undo (JSON patch replacing the template and annotations)', () => {
    const live = storedV1();
    const previousTemplate = structuredClone(spec(live).template) as { spec: { containers: Json[] } };
    previousTemplate.spec.containers[0].image = 'nginx:0';
    const patch = [
      { op: 'replace', path: '/spec/template', value: previousTemplate },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '3' } },
    ];
    const out = applyJsonPatch(live, patch);
    expect(template(out).spec.containers[0].image).toBe('nginx:0');
    expect(out.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '3' });
    expect(template(live).spec.containers[0].image).toBe('nginx:1');
  });
});
