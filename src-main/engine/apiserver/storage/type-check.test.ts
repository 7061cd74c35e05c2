import { describe, expect, it } from 'vitest';
import { findTypeError } from './type-check';

const deployment = (spec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd' },
  spec,
});

describe('findTypeError', () => {
  it('accepts well-typed objects, quantities and int-or-strings', () => {
    expect(
      findTypeError(
        'apps/v1',
        'Deployment',
        deployment({
          replicas: 2,
          strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
          selector: { matchLabels: { app: 'x' } },
          template: {
            metadata: { labels: { app: 'x' } },
            spec: {
              containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: 1, memory: '1Gi' } } }],
            },
          },
        }),
      ),
    ).toBeUndefined();
    expect(
      findTypeError('v1', 'ConfigMap', {
        metadata: { name: 'x', managedFields: [{ fieldsV1: { 'f:data': {} } }] },
      }),
    ).toBeUndefined();
    expect(findTypeError('example.com/v1', 'Thing', { spec: 'anything' })).toBeUndefined();
  });

  it('words type errors like the Kubernetes decoder', () => {
    expect(findTypeError('apps/v1', 'Deployment', deployment({ replicas: 'x' }))).toBe(
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    expect(findTypeError('apps/v1', 'Deployment', deployment({ replicas: 1.5 }))).toBe(
      'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    expect(
      findTypeError('apps/v1', 'Deployment', deployment({ template: { spec: { containers: ['nginx'] } } })),
    ).toBe(
      'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type v1.Container',
    );
    expect(findTypeError('v1', 'ConfigMap', { metadata: { name: 'x' }, data: { a: 1 } })).toBe(
      'json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
    );
    expect(findTypeError('apps/v1', 'Deployment', { metadata: { name: 'd' }, spec: [] })).toBe(
      'json: cannot unmarshal array into Go struct field Deployment.spec of type v1.DeploymentSpec',
    );
  });
});
