import { describe, expect, it } from 'vitest';
import { applyPodSpecDefaults, applyPodTemplateDefaults } from './pod-spec-defaults';
import { validatePodSpec, validatePodTemplateSpec, validateTolerations } from './pod-spec-validation';

function check(spec: Record<string, unknown>, isPod = true): string[] {
  applyPodSpecDefaults(spec);
  return validatePodSpec(spec, 'spec', { isPod }).map((e) => `${e.field}: ${e.message}`);
}

describe('validatePodSpec', () => {
  it('checks volume sources, names and references', () => {
    expect(
      check({
        containers: [{ name: 'a', image: 'x' }],
        volumes: [
          { name: 'cfg', configMap: {} },
          { name: 'sec', secret: { secretName: 's', defaultMode: 1000 } },
          { name: 'cfg', emptyDir: {} },
          { name: 'claim', persistentVolumeClaim: {} },
        ],
      }),
    ).toEqual([
      'spec.volumes[0].configMap.name: Required value',
      'spec.volumes[1].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive',
      'spec.volumes[3].persistentVolumeClaim.claimName: Required value',
    ]);
    expect(
      check({
        containers: [{ name: 'a', image: 'x' }],
        volumes: [
          { name: 'v', emptyDir: {} },
          { name: 'v', emptyDir: {} },
        ],
      }),
    ).toEqual(['spec.volumes[1].name: Duplicate value: "v"']);
  });

  it('checks probes, handlers and env sources', () => {
    expect(
      check({
        containers: [
          {
            name: 'a',
            image: 'x',
            livenessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 }, successThreshold: 2 },
            startupProbe: { httpGet: { port: 'web-port-name-too-long' } },
            env: [
              { name: 'A=B', value: 'x' },
              { name: 'REF', valueFrom: {} },
              { name: 'CM', valueFrom: { configMapKeyRef: { name: 'c' } } },
            ],
            envFrom: [{}],
          },
        ],
      }),
    ).toEqual([
      'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
      'spec.containers[0].env[1].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      'spec.containers[0].env[2].valueFrom.configMapKeyRef.key: Required value',
      'spec.containers[0].envFrom[0]: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
      'spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].startupProbe.httpGet.port: Invalid value: "web-port-name-too-long": must be no more than 15 characters',
    ]);
  });

  it('applies the init container and sidecar rules', () => {
    expect(
      check({
        initContainers: [
          {
            name: 'init',
            image: 'x',
            readinessProbe: { exec: { command: ['true'] } },
            restartPolicy: 'Never',
          },
          {
            name: 'proxy',
            image: 'x',
            restartPolicy: 'Always',
            readinessProbe: { exec: { command: ['true'] } },
          },
        ],
        containers: [{ name: 'init', image: 'x', restartPolicy: 'Always' }],
      }),
    ).toEqual([
      'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
      'spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always"',
      'spec.initContainers[0].name: Duplicate value: "init"',
      'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
  });

  it('requires hostPort to match containerPort with hostNetwork', () => {
    expect(
      check({
        hostNetwork: true,
        containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }],
      }),
    ).toEqual([
      'spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true',
    ]);
    const spec: Record<string, unknown> = {
      hostNetwork: true,
      containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80 }] }],
    };
    expect(check(spec)).toEqual([]);
    expect((spec.containers as { ports: unknown[] }[])[0].ports).toEqual([
      { containerPort: 80, hostPort: 80, protocol: 'TCP' },
    ]);
  });

  it('requires images in templates too, and forbids ephemeral containers there', () => {
    const template = {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'd', image: 'x' }] },
    };
    applyPodTemplateDefaults(template);
    expect(validatePodTemplateSpec(template, 'spec.template').map((e) => `${e.field}: ${e.message}`)).toEqual(
      [
        'spec.template.spec.containers[0].image: Required value',
        'spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template',
      ],
    );
  });
});

describe('validateTolerations', () => {
  it('uses Kubernetes paths and messages', () => {
    expect(
      validateTolerations(
        [
          { operator: 'Equal', value: 'x' },
          { key: 'k', operator: 'In', effect: 'Sometimes' },
          { key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 },
        ],
        'spec.tolerations',
      ).map((e) => `${e.field}: ${e.message}`),
    ).toEqual([
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      'spec.tolerations[1].operator: Unsupported value: "In": supported values: "Equal", "Exists"',
      'spec.tolerations[1].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      'spec.tolerations[2].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
    ]);
  });
});
