import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../../testing/test-api-server';
import type { TestApiServer } from '../../testing/test-api-server';
import { KUBECTL_VERSIONS } from '../../testing/kubectl';

/**
 * The registry's kinds through the real kubectl against the real API server: typed
 * generators (protobuf bodies from kubectl ≥ 1.32), server-side Tables, defaults and
 * validation errors as kubectl prints them.
 */
const BINARIES: Array<[string, string | undefined]> = [
  ['kubectl (default)', undefined],
  ['kubectl 1.27', KUBECTL_VERSIONS['1.27']],
  ['kubectl 1.33', KUBECTL_VERSIONS['1.33']],
];

describe.each(BINARIES)('%s', (_label, binary) => {
  let s: TestApiServer;

  beforeAll(async () => {
    const server = await startTestApiServer();
    const options = binary ? { binary } : {};
    s = {
      ...server,
      kubectl: (args, o) => server.kubectl(args, { ...options, ...o }),
      kubectlOk: (args, o) => server.kubectlOk(args, { ...options, ...o }),
    };
  });

  afterAll(async () => {
    await s?.close();
  });

  /** Table rows of `kubectl get` split on runs of two or more spaces. */
  function rows(output: string): string[][] {
    return output
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s{2,}/));
  }

  describe('workloads through kubectl', () => {
    it('creates a deployment with defaults and prints its table', async () => {
      await s.kubectlOk(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']);
      const obj = JSON.parse(await s.kubectlOk(['get', 'deploy', 'web', '-o', 'json']));
      expect(obj.spec).toMatchObject({
        replicas: 2,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' } },
      });
      const table = rows(await s.kubectlOk(['get', 'deployments', '-o', 'wide']));
      expect(table[0]).toEqual([
        'NAME',
        'READY',
        'UP-TO-DATE',
        'AVAILABLE',
        'AGE',
        'CONTAINERS',
        'IMAGES',
        'SELECTOR',
      ]);
      expect(table[1][0]).toBe('web');
      expect(table[1].slice(1, 4)).toEqual(['0/2', '0', '0']);
      expect(table[1].slice(5)).toEqual(['nginx', 'nginx:1.25', 'app=web']);
    });

    it('scales through the scale subresource and reports the selector', async () => {
      await s.kubectlOk(['scale', 'deployment/web', '--replicas=3']);
      const scale = JSON.parse(
        await s.kubectlOk(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale']),
      );
      expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 3 }, status: { selector: 'app=web' } });
    });

    it('prints the selector mismatch error kubectl users know', async () => {
      const manifest = JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'bad' },
        spec: {
          selector: { matchLabels: { app: 'x' } },
          template: {
            metadata: { labels: { app: 'y' } },
            spec: { containers: [{ name: 'c', image: 'busybox' }] },
          },
        },
      });
      const result = await s.kubectl(['apply', '-f', '-'], { input: manifest });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        'The Deployment "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`',
      );
    });

    it('creates a job with the generated selector and a cronjob', async () => {
      await s.kubectlOk(['create', 'job', 'pi', '--image=perl:5.34', '--', 'perl', '-e', 'print 1']);
      const job = JSON.parse(await s.kubectlOk(['get', 'job', 'pi', '-o', 'json']));
      const uid = job.metadata.uid as string;
      expect(job.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
      expect(job.metadata.labels).toMatchObject({ 'job-name': 'pi', 'controller-uid': uid });
      expect(job.spec).toMatchObject({
        backoffLimit: 6,
        completions: 1,
        parallelism: 1,
        completionMode: 'NonIndexed',
      });
      const jobs = rows(await s.kubectlOk(['get', 'jobs']));
      expect(jobs[0]).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
      expect(jobs[1].slice(0, 3)).toEqual(['pi', 'Running', '0/1']);

      await s.kubectlOk(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *']);
      const cronjobs = rows(await s.kubectlOk(['get', 'cj']));
      expect(cronjobs[0]).toEqual([
        'NAME',
        'SCHEDULE',
        'TIMEZONE',
        'SUSPEND',
        'ACTIVE',
        'LAST SCHEDULE',
        'AGE',
      ]);
      expect(cronjobs[1].slice(0, 6)).toEqual(['tick', '*/5 * * * *', '<none>', 'False', '0', '<none>']);

      const bad = await s.kubectl(['create', 'cronjob', 'bad', '--image=busybox', '--schedule=* * *']);
      expect(bad.stderr).toContain(
        'spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]',
      );
    });

    it('lists every workload under `get all`', async () => {
      const out = await s.kubectlOk(['get', 'all']);
      expect(out).toContain('deployment.apps/web');
      expect(out).toContain('job.batch/pi');
      expect(out).toContain('cronjob.batch/tick');
    });
  });

  describe('applied manifests', () => {
    const manifests = [
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: {
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: {
            metadata: { labels: { app: 'db' } },
            spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
            },
          ],
        },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent' },
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: {
            metadata: { labels: { app: 'agent' } },
            spec: {
              nodeSelector: { 'kubernetes.io/os': 'linux' },
              containers: [{ name: 'a', image: 'busybox' }],
            },
          },
        },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny-all' },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      },
      {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'local', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        provisioner: 'kubedesk.io/hostpath',
        volumeBindingMode: 'WaitForFirstConsumer',
      },
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'web-1', labels: { 'kubernetes.io/service-name': 'web' } },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 80 }],
        endpoints: [{ addresses: ['10.244.0.5'] }],
      },
      {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'lock' },
        spec: { holderIdentity: 'controller-1', leaseDurationSeconds: 15 },
      },
    ];

    it('applies a manifest list and prints each table', async () => {
      const input = manifests.map((m) => JSON.stringify(m)).join('\n');
      await s.kubectlOk(['apply', '-f', '-'], { input });
      const sts = rows(await s.kubectlOk(['get', 'sts']));
      expect(sts[0]).toEqual(['NAME', 'READY', 'AGE']);
      expect(sts[1].slice(0, 2)).toEqual(['db', '0/1']);
      const ds = rows(await s.kubectlOk(['get', 'ds']));
      expect(ds[0]).toEqual([
        'NAME',
        'DESIRED',
        'CURRENT',
        'READY',
        'UP-TO-DATE',
        'AVAILABLE',
        'NODE SELECTOR',
        'AGE',
      ]);
      expect(ds[1].slice(0, 7)).toEqual(['agent', '0', '0', '0', '0', '0', 'kubernetes.io/os=linux']);
      expect(rows(await s.kubectlOk(['get', 'netpol']))[1].slice(0, 2)).toEqual(['deny-all', '<none>']);
      const sc = rows(await s.kubectlOk(['get', 'sc']));
      expect(sc[0]).toEqual([
        'NAME',
        'PROVISIONER',
        'RECLAIMPOLICY',
        'VOLUMEBINDINGMODE',
        'ALLOWVOLUMEEXPANSION',
        'AGE',
      ]);
      expect(sc[1].slice(0, 5)).toEqual([
        'local (default)',
        'kubedesk.io/hostpath',
        'Delete',
        'WaitForFirstConsumer',
        'false',
      ]);
      const slices = rows(await s.kubectlOk(['get', 'endpointslices']));
      expect(slices[0]).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
      expect(slices[1].slice(0, 4)).toEqual(['web-1', 'IPv4', '80', '10.244.0.5']);
      expect(rows(await s.kubectlOk(['get', 'leases']))[1].slice(0, 2)).toEqual(['lock', 'controller-1']);
    });

    it('re-applies unchanged manifests and rejects a forbidden StatefulSet change', async () => {
      const input = manifests.map((m) => JSON.stringify(m)).join('\n');
      const before = JSON.parse(await s.kubectlOk(['get', 'sts', 'db', '-o', 'json']));
      const again = await s.kubectlOk(['apply', '-f', '-'], { input });
      expect(again).toContain('daemonset.apps/agent unchanged');
      expect(again).toContain('storageclass.storage.k8s.io/local unchanged');
      // Atomic lists with defaulted entries (volumeClaimTemplates) make kubectl send a patch,
      // but the write changes nothing.
      const after = JSON.parse(await s.kubectlOk(['get', 'sts', 'db', '-o', 'json']));
      expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      const changed = { ...manifests[0], spec: { ...(manifests[0].spec as object), serviceName: 'other' } };
      const result = await s.kubectl(['apply', '-f', '-'], { input: JSON.stringify(changed) });
      expect(result.stderr).toContain(
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      );
    });
  });

  describe('other groups through kubectl', () => {
    it('creates an ingress and prints Class, Hosts, Address, Ports', async () => {
      await s.kubectlOk(['create', 'ingress', 'web', '--class=nginx', '--rule=web.local/*=web:80']);
      const table = rows(await s.kubectlOk(['get', 'ing']));
      expect(table[0]).toEqual(['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
      expect(table[1].slice(0, 3)).toEqual(['web', 'nginx', 'web.local']);
    });

    it('creates RBAC objects and prints their tables', async () => {
      await s.kubectlOk(['create', 'role', 'reader', '--verb=get,list', '--resource=pods']);
      await s.kubectlOk([
        'create',
        'rolebinding',
        'read',
        '--role=reader',
        '--user=jane',
        '--serviceaccount=default:builder',
      ]);
      const roles = rows(await s.kubectlOk(['get', 'roles']));
      expect(roles[0]).toEqual(['NAME', 'CREATED AT']);
      expect(roles[1][1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const bindings = rows(await s.kubectlOk(['get', 'rolebindings', '-o', 'wide']));
      expect(bindings[0]).toEqual(['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
      expect(bindings[1][1]).toBe('Role/reader');
      expect(bindings[1].slice(3)).toEqual(['jane', 'default/builder']);
    });

    it('creates a PDB, a priority class and an HPA', async () => {
      await s.kubectlOk(['create', 'pdb', 'web', '--selector=app=web', '--min-available=1']);
      expect(rows(await s.kubectlOk(['get', 'pdb']))[1].slice(0, 4)).toEqual(['web', '1', 'N/A', '0']);
      await s.kubectlOk(['create', 'priorityclass', 'high', '--value=1000']);
      expect(rows(await s.kubectlOk(['get', 'pc', 'high']))[1].slice(0, 3)).toEqual([
        'high',
        '1000',
        'false',
      ]);
      await s.kubectlOk(['autoscale', 'deployment', 'web', '--max=5', '--cpu-percent=60']);
      const hpa = rows(await s.kubectlOk(['get', 'hpa']));
      expect(hpa[0]).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
      expect(hpa[1].slice(0, 5)).toEqual(['web', 'Deployment/web', 'cpu: <unknown>/60%', '1', '5']);
      const described = await s.kubectlOk(['describe', 'hpa', 'web']);
      expect(described).toMatch(/resource cpu on pods\s+\(as a percentage of request\):\s+<unknown> \/ 60%/);
    });
  });
});
