import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../k8s-object';
import { resolveContainerName, waitingError } from './pod-target';
import { parseLogQuery } from './logs';

function pod(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name: 'web', uid: 'u1' }, spec, status };
}

describe('choosing the container of a stream request', () => {
  it('takes the only container, or the one named (init and ephemeral ones too)', () => {
    expect(resolveContainerName(pod({ containers: [{ name: 'a' }] }), undefined)).toBe('a');
    const many = pod({
      initContainers: [{ name: 'init' }],
      containers: [{ name: 'a' }, { name: 'b' }],
      ephemeralContainers: [{ name: 'debugger' }],
    });
    expect(resolveContainerName(many, 'b')).toBe('b');
    expect(resolveContainerName(many, 'init')).toBe('init');
    expect(resolveContainerName(many, 'debugger')).toBe('debugger');
  });

  it('words refusals as Kubernetes does', () => {
    const many = pod({ initContainers: [{ name: 'init' }], containers: [{ name: 'a' }, { name: 'b' }] });
    expect(() => resolveContainerName(many, undefined)).toThrow(
      'a container name must be specified for pod web, choose one of: [init a b]',
    );
    expect(() => resolveContainerName(many, 'zz')).toThrow('container zz is not valid for pod web');
    expect(() => resolveContainerName(pod({ containers: [] }), undefined)).toThrow(
      'a container name must be specified for pod web',
    );
  });

  it('explains why a container has no logs yet', () => {
    const pulling = pod(
      { containers: [{ name: 'a' }] },
      { containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ImagePullBackOff' } } }] },
    );
    expect(waitingError(pulling, 'a').message).toBe(
      'container "a" in pod "web" is waiting to start: trying and failing to pull image',
    );
    expect(waitingError(pod({ containers: [{ name: 'a' }] }), 'a').message).toBe(
      'container "a" in pod "web" is waiting to start: ContainerCreating',
    );
  });
});

describe('PodLogOptions from the query', () => {
  it('reads every option', () => {
    const options = parseLogQuery(
      new URLSearchParams(
        'container=a&follow=true&previous=true&timestamps=true&tailLines=10&limitBytes=5&sinceTime=2026-01-01T00:00:00Z',
      ),
      'web',
    );
    expect(options).toEqual({
      container: 'a',
      follow: true,
      previous: true,
      timestamps: true,
      tailLines: 10,
      sinceSeconds: undefined,
      sinceTime: Date.UTC(2026, 0, 1) / 1000,
      limitBytes: 5,
    });
  });

  it('validates as Kubernetes does', () => {
    expect(() => parseLogQuery(new URLSearchParams('tailLines=-1'), 'web')).toThrow(
      'PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    );
    expect(() => parseLogQuery(new URLSearchParams('sinceSeconds=0'), 'web')).toThrow(/sinceSeconds/);
    expect(() => parseLogQuery(new URLSearchParams('limitBytes=0'), 'web')).toThrow(/limitBytes/);
    expect(() =>
      parseLogQuery(new URLSearchParams('sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z'), 'web'),
    ).toThrow('at most one of `sinceTime` or `sinceSeconds` may be specified');
  });
});
