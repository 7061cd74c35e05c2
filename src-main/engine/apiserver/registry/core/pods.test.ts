import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { invalid } from '../../status';
import { podQosClass, podsResource } from './pods';

function pod(spec: Record<string, unknown>, name = 'web'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec };
}

/** Defaults + admission + validation, as the API server runs them on create. */
function create(obj: KubeObject): { obj: KubeObject; messages: string[] } {
  podsResource.applyDefaults?.(obj);
  podsResource.prepareForCreate?.(obj);
  const errors = podsResource.validate?.(obj) ?? [];
  return { obj, messages: errors.map((e) => `${e.field}: ${e.message}`) };
}

describe('pod defaults', () => {
  it('fills what Kubernetes fills on a minimal pod', () => {
    const { obj, messages } = create(
      pod({
        containers: [
          {
            name: 'app',
            image: 'nginx',
            ports: [{ containerPort: 80 }],
            livenessProbe: { httpGet: { port: 80 } },
            env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          },
          { name: 'side', image: 'busybox:1.36' },
        ],
        volumes: [{ name: 'data' }, { name: 'cfg', configMap: { name: 'cfg' } }],
      }),
    );
    expect(messages).toEqual([]);
    const spec = obj.spec as Record<string, unknown>;
    expect(spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
      serviceAccountName: 'default',
      serviceAccount: 'default',
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    const volumes = spec.volumes as Record<string, unknown>[];
    expect(volumes.slice(0, 2)).toEqual([
      { name: 'data', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
    ]);
    expect(volumes[2].name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(spec.tolerations).toEqual([
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ]);
    const [app, side] = spec.containers as Record<string, unknown>[];
    expect(app).toMatchObject({
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: {},
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      livenessProbe: {
        httpGet: { port: 80, path: '/', scheme: 'HTTP' },
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      },
      env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } }],
    });
    expect(side.imagePullPolicy).toBe('IfNotPresent');
    expect(obj.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('picks the pull policy from the tag', () => {
    const { obj } = create(
      pod({
        containers: [
          { name: 'a', image: 'nginx:latest' },
          { name: 'b', image: 'localhost:5000/app' },
          { name: 'c', image: 'localhost:5000/app:v2' },
          { name: 'd', image: 'nginx@sha256:abc' },
        ],
      }),
    );
    const policies = (obj.spec as { containers: { imagePullPolicy: string }[] }).containers.map(
      (c) => c.imagePullPolicy,
    );
    expect(policies).toEqual(['Always', 'Always', 'IfNotPresent', 'IfNotPresent']);
  });

  it('copies limits into missing requests and computes the QoS class', () => {
    const { obj } = create(
      pod({
        containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: '500m', memory: '128Mi' } } }],
      }),
    );
    const container = (obj.spec as { containers: { resources: unknown }[] }).containers[0];
    expect(container.resources).toEqual({
      limits: { cpu: '500m', memory: '128Mi' },
      requests: { cpu: '500m', memory: '128Mi' },
    });
    expect(obj.status).toMatchObject({ qosClass: 'Guaranteed' });
    expect(podQosClass(pod({ containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }] }))).toBe(
      'Burstable',
    );
  });
});

describe('service account admission', () => {
  it('mounts the API credentials in every container, like Kubernetes', () => {
    const { obj, messages } = create(
      pod({
        initContainers: [{ name: 'init', image: 'busybox' }],
        containers: [
          { name: 'app', image: 'app:1' },
          {
            name: 'own',
            image: 'app:1',
            volumeMounts: [{ name: 'mine', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
          },
        ],
        volumes: [{ name: 'mine', emptyDir: {} }],
      }),
    );
    expect(messages).toEqual([]);
    const spec = obj.spec as {
      volumes: Record<string, unknown>[];
      containers: Record<string, unknown>[];
      initContainers: Record<string, unknown>[];
    };
    const access = spec.volumes[1];
    const name = String(access.name);
    expect(access).toEqual({
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }],
            },
          },
        ],
      },
    });
    const mount = { name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
    expect(spec.initContainers[0].volumeMounts).toEqual([mount]);
    expect(spec.containers[0].volumeMounts).toEqual([mount]);
    expect(spec.containers[1].volumeMounts).toHaveLength(1);
  });

  it('mounts nothing when automountServiceAccountToken is false', () => {
    const { obj } = create(
      pod({
        automountServiceAccountToken: false,
        serviceAccountName: 'robot',
        containers: [{ name: 'a', image: 'x' }],
      }),
    );
    const spec = obj.spec as Record<string, unknown>;
    expect(spec.volumes).toBeUndefined();
    expect(spec.serviceAccount).toBe('robot');
  });
});

describe('pod validation', () => {
  it('reports the errors Kubernetes reports, with its paths and wording', () => {
    const { messages } = create(
      pod({
        restartPolicy: 'Sometimes',
        containers: [
          { name: 'App', ports: [{ containerPort: 70000, protocol: 'HTTP' }] },
          {
            name: 'app2',
            image: 'x:1',
            volumeMounts: [{ name: 'missing', mountPath: '/data' }],
            readinessProbe: {},
            resources: { requests: { cpu: '2' }, limits: { cpu: '1' } },
          },
          { name: 'app2', image: 'x:1' },
        ],
        volumes: [{ name: 'v', emptyDir: {}, hostPath: { path: '/tmp' } }],
      }),
    );
    expect(messages).toEqual([
      'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
      "spec.containers[0].name: Invalid value: \"App\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'spec.containers[0].image: Required value',
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[1].volumeMounts[0].name: Not found: "missing"',
      'spec.containers[1].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      'spec.containers[1].readinessProbe: Required value: must specify a handler type',
      'spec.containers[2].name: Duplicate value: "app2"',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });

  it('requires containers and rejects ephemeral containers on create', () => {
    const { messages } = create(pod({ ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] }));
    expect(messages).toContain('spec.containers: Required value');
    expect(messages).toContain('spec.ephemeralContainers: Forbidden: cannot be set on create');
  });

  it('builds the 422 message kubectl prints', () => {
    const obj = pod({ containers: [{ name: 'app' }] });
    podsResource.applyDefaults?.(obj);
    const error = invalid('Pod', 'web', '', podsResource.validate?.(obj) ?? []);
    expect(error.code).toBe(422);
    expect(error.message).toBe('Pod "web" is invalid: spec.containers[0].image: Required value');
  });

  it('allows image changes on update and forbids other spec changes', () => {
    const { obj: old } = create(pod({ containers: [{ name: 'app', image: 'nginx:1.25' }] }));
    old.metadata.resourceVersion = '5';
    const imageChange = structuredClone(old);
    (imageChange.spec as { containers: { image: string }[] }).containers[0].image = 'nginx:1.26';
    expect(podsResource.validate?.(imageChange, old)).toEqual([]);

    const policyChange = structuredClone(old);
    (policyChange.spec as Record<string, unknown>).restartPolicy = 'Never';
    const errors = podsResource.validate?.(policyChange, old) ?? [];
    expect(errors).toEqual([
      {
        type: 'FieldValueForbidden',
        field: 'spec',
        message: expect.stringMatching(
          /^Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,`spec\.initContainers\[\*\]\.image`,`spec\.activeDeadlineSeconds`,`spec\.tolerations` \(only additions to existing tolerations\),`spec\.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n {2}core\.PodSpec\{\n- \tRestartPolicy: "Always",\n\+ \tRestartPolicy: "Never",\n {2}\t\.\.\. \/\/ \d+ identical fields\n {2}\}$/,
        ),
      },
    ]);

    const debug = structuredClone(old);
    (debug.spec as Record<string, unknown>).ephemeralContainers = [
      { name: 'debugger', image: 'busybox:1.36' },
    ];
    podsResource.applyDefaults?.(debug);
    expect(podsResource.validate?.(debug, old)).toEqual([]);

    const added = structuredClone(old);
    (added.spec as { containers: unknown[] }).containers.push({ name: 'b', image: 'x' });
    podsResource.applyDefaults?.(added);
    expect((podsResource.validate?.(added, old) ?? []).map((e) => e.message)).toEqual([
      'Forbidden: pod updates may not add or remove containers',
    ]);
  });

  it('exposes the field selectors kubectl and the kubelet use', () => {
    const { obj } = create(pod({ containers: [{ name: 'a', image: 'x' }], nodeName: 'node-1' }));
    obj.status = { phase: 'Running', podIPs: [{ ip: '10.244.0.5' }] };
    const selectors = podsResource.fieldSelectors ?? {};
    expect(selectors['spec.nodeName'](obj)).toBe('node-1');
    expect(selectors['status.phase'](obj)).toBe('Running');
    expect(selectors['status.podIP'](obj)).toBe('10.244.0.5');
    expect(selectors['spec.hostNetwork'](obj)).toBe('false');
    expect(selectors['spec.serviceAccountName'](obj)).toBe('default');
  });
});
