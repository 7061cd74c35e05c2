import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { DEPLOYMENTS, ENDPOINTS, ENDPOINT_SLICES, PODS, SERVICES } from '../shared/resources';
import { deploymentManifest, openControllerHarness } from '../testing/harness';
import type { ControllerHarness } from '../testing/harness';

let h: ControllerHarness;
afterEach(async () => {
  await h?.close();
});

interface Address {
  ip: string;
  targetRef: { name: string };
}
interface Subset {
  addresses?: Address[];
  notReadyAddresses?: Address[];
  ports?: Array<{ name?: string; port: number; protocol: string }>;
}

const endpoints = (name = 'web'): Subset[] =>
  (h.api.get(ENDPOINTS, 'default', name).subsets as Subset[] | undefined) ?? [];
const slices = (name = 'web'): KubeObject[] =>
  h.api.list(ENDPOINT_SLICES, { namespace: 'default', labelSelector: `kubernetes.io/service-name=${name}` })
    .items;

function webDeployment(replicas: number): KubeObject {
  const d = deploymentManifest('web', 'nginx', replicas);
  const spec = d.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } };
  spec.template.spec.containers[0].ports = [{ name: 'http', containerPort: 8080 }];
  return d;
}

function service(): KubeObject {
  return h.api.create(SERVICES, 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', labels: { tier: 'front' } },
    spec: {
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'metrics', port: 9090, targetPort: 9090 },
      ],
    },
  });
}

describe('endpoints and endpoint slices', () => {
  it('list ready pods with named ports resolved, and not-ready pods as such', async () => {
    h = openControllerHarness({ kubelet: { readyAfterMs: 1000 } });
    const svc = service();
    h.api.create(DEPLOYMENTS, 'default', webDeployment(2));
    await h.until(() => endpoints()[0]?.addresses?.length === 2);
    const [subset] = endpoints();
    expect(subset.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9090, protocol: 'TCP' },
    ]);
    expect(h.api.get(ENDPOINTS, 'default', 'web').metadata.labels).toEqual({
      tier: 'front',
      'endpoints.kubernetes.io/managed-by': 'endpoint-controller',
    });

    const [slice] = slices();
    expect(slices()).toHaveLength(1);
    expect(slice.metadata.labels).toMatchObject({
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      tier: 'front',
    });
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Service',
      uid: svc.metadata.uid,
      controller: true,
    });
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9090, protocol: 'TCP' },
    ]);
    expect((slice.endpoints as Array<{ conditions: unknown }>).map((e) => e.conditions)).toEqual([
      { ready: true, serving: true, terminating: false },
      { ready: true, serving: true, terminating: false },
    ]);

    const pod = subset.addresses?.[0].targetRef.name ?? '';
    h.kubelet?.setReady('default', pod, false);
    await h.until(() => endpoints()[0]?.notReadyAddresses?.length === 1);
    expect(endpoints()[0].addresses?.map((a) => a.targetRef.name)).not.toContain(pod);
    expect(endpoints()[0].notReadyAddresses?.[0].targetRef.name).toBe(pod);
    await h.until(() =>
      (slices()[0].endpoints as Array<{ targetRef: { name: string }; conditions: { ready: boolean } }>).some(
        (e) => e.targetRef.name === pod && !e.conditions.ready,
      ),
    );
  });

  it('keep one placeholder slice for an empty Service and follow scale down', async () => {
    h = openControllerHarness();
    service();
    await h.until(() => slices().length === 1);
    expect(slices()[0].endpoints ?? []).toEqual([]);
    expect(endpoints()).toEqual([]);
    h.api.create(DEPLOYMENTS, 'default', webDeployment(3));
    await h.until(() => endpoints()[0]?.addresses?.length === 3);
    h.api.patch(DEPLOYMENTS, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await h.until(() => endpoints()[0]?.addresses?.length === 1 && !endpoints()[0].notReadyAddresses);
    await h.until(() => (slices()[0].endpoints as unknown[]).length === 1);
    expect(slices()).toHaveLength(1);
    expect(h.api.list(PODS, { namespace: 'default' }).items).toHaveLength(1);
  });

  it('split pods whose named port resolves differently into separate subsets and slices', async () => {
    h = openControllerHarness();
    service();
    for (const [name, port] of [
      ['a', 8080],
      ['b', 9000],
    ] as const) {
      h.api.create(PODS, 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: port }] }] },
      });
    }
    await h.until(() => endpoints().length === 2 && endpoints().every((s) => s.addresses?.length === 1));
    const byPod = Object.fromEntries(
      endpoints().map((s) => [
        s.addresses?.[0].targetRef.name,
        s.ports?.find((p) => p.name === 'http')?.port,
      ]),
    );
    expect(byPod).toEqual({ a: 8080, b: 9000 });
    await h.until(() => slices().length === 2);
    const slicePorts = slices()
      .map((s) => (s.ports as Array<{ name: string; port: number }>).find((p) => p.name === 'http')?.port)
      .sort();
    expect(slicePorts).toEqual([8080, 9000]);
  });

  it('drop terminating pods from Endpoints but keep them in slices as terminating', async () => {
    h = openControllerHarness({ kubelet: { terminateAfterMs: 10_000 } });
    service();
    h.api.create(DEPLOYMENTS, 'default', webDeployment(2));
    await h.until(() => endpoints()[0]?.addresses?.length === 2);
    const victim = endpoints()[0].addresses?.[0].targetRef.name ?? '';
    h.api.delete(PODS, 'default', victim, {});
    await h.until(() =>
      (
        slices()[0].endpoints as Array<{ targetRef: { name: string }; conditions: Record<string, boolean> }>
      ).some((e) => e.targetRef.name === victim && e.conditions.terminating),
    );
    const entry = (
      slices()[0].endpoints as Array<{ targetRef: { name: string }; conditions: Record<string, boolean> }>
    ).find((e) => e.targetRef.name === victim);
    expect(entry?.conditions).toEqual({ ready: false, serving: true, terminating: true });
    const listed = endpoints().flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]);
    expect(listed.map((a) => a.targetRef.name)).not.toContain(victim);
  });

  it('remove Endpoints and slices with the Service', async () => {
    h = openControllerHarness();
    service();
    h.api.create(DEPLOYMENTS, 'default', webDeployment(1));
    await h.until(() => endpoints()[0]?.addresses?.length === 1 && slices().length === 1);
    h.api.delete(SERVICES, 'default', 'web', {});
    await h.until(() => slices().length === 0);
    expect(() => h.api.get(ENDPOINTS, 'default', 'web')).toThrow();
  });
});
