import { describe, expect, it } from 'vitest';
import { hostUser, registryDeployment, registryImage, registryService } from './manifests';

describe('registry manifests', () => {
  it('takes the image from KUBEDESK_REGISTRY_IMAGE, else registry:2', () => {
    expect(registryImage({})).toBe('registry:2');
    expect(registryImage({ KUBEDESK_REGISTRY_IMAGE: ' kubedesk-test/registry:1 ' })).toBe(
      'kubedesk-test/registry:1',
    );
  });

  it('publishes the registry on 127.0.0.1 only, with its storage on the claim', () => {
    const deployment = registryDeployment('registry:2', 5001, undefined) as unknown as {
      spec: {
        strategy: { type: string };
        template: {
          spec: {
            securityContext?: unknown;
            containers: { ports: unknown[]; volumeMounts: unknown[] }[];
            volumes: unknown[];
          };
        };
      };
    };
    const pod = deployment.spec.template.spec;
    expect(deployment.spec.strategy.type).toBe('Recreate');
    expect(pod.containers[0].ports).toEqual([
      { name: 'registry', containerPort: 5000, hostPort: 5001, hostIP: '127.0.0.1', protocol: 'TCP' },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'storage', mountPath: '/var/lib/registry' }]);
    expect(pod.volumes).toEqual([
      { name: 'storage', persistentVolumeClaim: { claimName: 'registry-storage' } },
    ]);
    expect(pod.securityContext).toBeUndefined();

    const asUser = registryDeployment('registry:2', 5001, {
      uid: 1000,
      gid: 1000,
    }) as unknown as typeof deployment;
    expect(asUser.spec.template.spec.securityContext).toEqual({ runAsUser: 1000, runAsGroup: 1000 });
  });

  it('runs as the engine user only for a non-root user on Linux', () => {
    expect(hostUser('linux', { uid: 1000, gid: 100 })).toEqual({ uid: 1000, gid: 100 });
    expect(hostUser('linux', { uid: 0, gid: 0 })).toBeUndefined();
    expect(hostUser('darwin', { uid: 501, gid: 20 })).toBeUndefined();
    expect(hostUser('win32', {})).toBeUndefined();
  });

  it('serves the registry in the cluster on port 80 of Service registry.kube-system', () => {
    expect(registryService()).toMatchObject({
      metadata: { name: 'registry', namespace: 'kube-system' },
      spec: { ports: [{ port: 80, targetPort: 'registry' }], selector: { 'kubedesk.io/addon': 'registry' } },
    });
  });
});
