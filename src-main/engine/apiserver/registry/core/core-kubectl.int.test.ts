import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer } from '../../testing/test-api-server';
import type { TestApiServer } from '../../testing/test-api-server';

// The real kubectl against the real API server wiring: what users see for core kinds.
let s: TestApiServer;

beforeAll(async () => {
  s = await startTestApiServer();
});
afterAll(() => s?.close());

const PODS = { group: '', version: 'v1', resource: 'pods' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };

describe('kubectl and core/v1', () => {
  it('creates a pod with Kubernetes defaults and prints it like Kubernetes', async () => {
    await s.kubectlOk(['run', 'web', '--image=nginx:1.25', '--port=80']);
    const pod = JSON.parse(await s.kubectlOk(['get', 'pod', 'web', '-o', 'json'])) as {
      spec: Record<string, unknown> & { containers: Record<string, unknown>[] };
      status: Record<string, unknown>;
    };
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      enableServiceLinks: true,
    });
    expect(pod.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    expect(pod.status).toMatchObject({ phase: 'Pending', qosClass: 'BestEffort' });

    const table = await s.kubectlOk(['get', 'pods']);
    expect(table).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(table).toMatch(/^web\s+0\/1\s+Pending\s+0\s+\d+s$/m);
    const wide = await s.kubectlOk(['get', 'pods', '-o', 'wide']);
    expect(wide).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m,
    );
    expect(wide).toMatch(/^web\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+<none>\s+<none>\s+<none>$/m);
  });

  it('shows a crash-looping pod as kubectl does', async () => {
    const created = s.objectApi.create(PODS, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'crashy' },
      spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] },
    });
    s.objectApi.update(
      PODS,
      'default',
      {
        ...created,
        status: {
          phase: 'Running',
          podIPs: [{ ip: '10.244.0.9' }],
          containerStatuses: [
            {
              name: 'app',
              ready: false,
              restartCount: 4,
              image: 'busybox:1.36',
              imageID: '',
              state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
              lastState: {
                terminated: {
                  exitCode: 1,
                  reason: 'Error',
                  finishedAt: new Date(Date.now() - 130_000).toISOString(),
                },
              },
            },
          ],
        },
      },
      { subresource: 'status' },
    );
    const out = await s.kubectlOk(['get', 'pod', 'crashy']);
    expect(out).toMatch(/^crashy\s+0\/1\s+CrashLoopBackOff\s+4 \(2m1\ds ago\)\s+\d+s$/m);
    const byPhase = await s.kubectlOk([
      'get',
      'pods',
      '--field-selector',
      'status.phase=Running',
      '-o',
      'name',
    ]);
    expect(byPhase.trim()).toBe('pod/crashy');
  });

  it('reports invalid pods with the 422 message kubectl prints', async () => {
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bad' },
      spec: { containers: [{ name: 'app', ports: [{ containerPort: 0 }] }] },
    });
    const result = await s.kubectl(['create', '-f', '-'], { input: manifest });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'The Pod "bad" is invalid: \n* spec.containers[0].image: Required value\n* spec.containers[0].ports[0].containerPort: Required value',
    );
  });

  it('refuses pod spec changes other than images', async () => {
    const result = await s.kubectl(['patch', 'pod', 'web', '-p', '{"spec":{"restartPolicy":"Never"}}']);
    expect(result.stderr).toContain(
      'The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than',
    );
    await s.kubectlOk(['set', 'image', 'pod/web', 'web=nginx:1.26']);
  });

  it('allocates Service addresses and prints Port(s)', async () => {
    await s.kubectlOk(['create', 'service', 'nodeport', 'shop', '--tcp=80:8080']);
    const out = await s.kubectlOk(['get', 'svc', 'shop']);
    expect(out).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    expect(out).toMatch(
      /^shop\s+NodePort\s+10\.(9[6-9]|1[01]\d)\.\d+\.\d+\s+<none>\s+80:3\d{4}\/TCP\s+\d+s$/m,
    );
    const lb = await s.kubectlOk(['create', 'service', 'loadbalancer', 'front', '--tcp=443:8443']);
    expect(lb).toContain('service/front created');
    expect(await s.kubectlOk(['get', 'svc', 'front'])).toMatch(
      /^front\s+LoadBalancer\s+\S+\s+<pending>\s+443:3\d{4}\/TCP/m,
    );

    await s.kubectlOk(['create', 'service', 'externalname', 'ext', '--external-name=db.example.com']);
    expect(await s.kubectlOk(['get', 'svc', 'ext'])).toMatch(
      /^ext\s+ExternalName\s+<none>\s+db\.example\.com\s+<none>\s+\d+s$/m,
    );
    await s.kubectlOk(['create', 'service', 'clusterip', 'db', '--clusterip=None']);
    expect(await s.kubectlOk(['get', 'svc', 'db', '-o', 'wide'])).toMatch(
      /^db\s+ClusterIP\s+None\s+<none>\s+<none>\s+\d+s\s+app=db$/m,
    );
    await s.kubectlOk(['patch', 'svc', 'shop', '-p', '{"spec":{"type":"ClusterIP"}}']);
    expect(await s.kubectlOk(['get', 'svc', 'shop'])).toMatch(
      /^shop\s+ClusterIP\s+10\.\S+\s+<none>\s+80\/TCP\s+\d+s$/m,
    );

    const clusterIP = (await s.kubectlOk(['get', 'svc', 'shop', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    const clash = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'clash' },
      spec: { clusterIP, ports: [{ port: 80 }] },
    });
    const result = await s.kubectl(['create', '-f', '-'], { input: clash });
    expect(result.stderr).toContain(
      `The Service "clash" is invalid: spec.clusterIPs: Invalid value: []string{"${clusterIP}"}: failed to allocate IP ${clusterIP}: provided IP is already allocated`,
    );
  });

  it('prints secrets, configmaps, service accounts and namespaces', async () => {
    await s.kubectlOk([
      'create',
      'secret',
      'generic',
      'creds',
      '--from-literal=user=admin',
      '--from-literal=pass=x',
    ]);
    expect(await s.kubectlOk(['get', 'secret', 'creds'])).toMatch(/^creds\s+Opaque\s+2\s+\d+s$/m);
    await s.kubectlOk(['create', 'configmap', 'settings', '--from-literal=a=1']);
    expect(await s.kubectlOk(['get', 'cm', 'settings'])).toMatch(
      /^NAME\s+DATA\s+AGE\n^settings\s+1\s+\d+s$/m,
    );
    await s.kubectlOk(['create', 'serviceaccount', 'robot']);
    expect(await s.kubectlOk(['get', 'sa', 'robot'])).toMatch(/^NAME\s+SECRETS\s+AGE\n^robot\s+0\s+\d+s$/m);
    await s.kubectlOk(['create', 'namespace', 'team-a']);
    expect(await s.kubectlOk(['get', 'ns', 'team-a', '-o', 'jsonpath={.metadata.labels}'])).toContain(
      '"kubernetes.io/metadata.name":"team-a"',
    );
  });

  it('prints events with the columns and selectors kubectl uses', async () => {
    const now = new Date().toISOString();
    s.objectApi.create(EVENTS, 'default', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.1' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{web}' },
      reason: 'Pulled',
      message: 'Container image "nginx:1.25" already present on machine',
      type: 'Normal',
      source: { component: 'kubelet', host: 'kubedesk' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    const out = await s.kubectlOk(['get', 'events']);
    expect(out).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m);
    expect(out).toMatch(
      /^\d+s\s+Normal\s+Pulled\s+pod\/web\s+Container image "nginx:1.25" already present on machine$/m,
    );
    const selected = await s.kubectlOk([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=web,reason=Pulled',
      '-o',
      'name',
    ]);
    expect(selected.trim()).toBe('event/web.1');
  });
});
