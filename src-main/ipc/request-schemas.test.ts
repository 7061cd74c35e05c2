import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from './contract';
import { KubedeskError } from './errors';
import { REQUEST_SCHEMAS, parseInvokeRequest } from './request-schemas';

const pods = { group: '', version: 'v1', plural: 'pods', namespaced: true };

/** Runs a parse that must fail and returns the error it threw. */
function rejection(channel: Parameters<typeof parseInvokeRequest>[0], request: unknown): KubedeskError {
  try {
    parseInvokeRequest(channel, request);
  } catch (err) {
    if (err instanceof KubedeskError) return err;
    throw err;
  }
  throw new Error(`${channel} accepted ${JSON.stringify(request)}`);
}

describe('invoke request schemas', () => {
  it('has a schema for every channel of the contract and no other', () => {
    expect(Object.keys(REQUEST_SCHEMAS).sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('accepts well-formed requests and returns them unchanged', () => {
    const list = { cluster: 'profile:dev', type: pods, namespace: 'default', labelSelector: 'app=web' };
    expect(parseInvokeRequest('kube.list', list)).toEqual(list);
    const tunnel = { cluster: 'profile:dev', namespace: 'default', kind: 'Service', name: 'web', port: 80 };
    expect(parseInvokeRequest('tunnels.start', tunnel)).toEqual(tunnel);
    expect(parseInvokeRequest('clusters.create', { name: 'dev', cpus: 1.5, nodes: 3 })).toEqual({
      name: 'dev',
      cpus: 1.5,
      nodes: 3,
    });
  });

  it('reads a missing request of a channel without fields as an empty one', () => {
    expect(parseInvokeRequest('clusters.list', undefined)).toEqual({});
    expect(parseInvokeRequest('app.info', null)).toEqual({});
  });

  it('drops the extra keys of a discovered resource type passed as an address', () => {
    const discovered = { ...pods, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] };
    expect(parseInvokeRequest('kube.get', { cluster: 'c', type: discovered, name: 'p' }).type).toEqual(pods);
  });

  it('names each offending field by its path with what was expected', () => {
    const err = rejection('kube.scale', {
      cluster: 'c',
      type: { ...pods, version: 7 },
      name: '',
      replicas: 1.5,
    });
    expect(err.kind).toBe('BadRequest');
    expect(err.message).toMatch(/^invalid request for kube\.scale: /);
    expect(err.causes).toEqual(
      expect.arrayContaining([
        { field: 'type.version', message: 'expected a string, got a number' },
        { field: 'name', message: 'expected a non-empty string' },
        { field: 'replicas', message: 'expected an integer, got 1.5' },
      ]),
    );
  });

  it('reports missing required fields, unknown fields and values outside an enum or range', () => {
    expect(rejection('clusters.start', {}).causes).toEqual([
      { field: 'name', message: 'required: expected a string' },
    ]);
    expect(rejection('clusters.stop', { name: 'dev', force: true }).causes).toEqual([
      { field: 'force', message: 'unknown field' },
    ]);
    expect(
      rejection('kube.delete', { cluster: 'c', type: pods, name: 'p', propagationPolicy: 'Later' }).causes,
    ).toEqual([
      { field: 'propagationPolicy', message: 'expected one of "Background", "Foreground", "Orphan"' },
    ]);
    expect(
      rejection('tunnels.start', {
        cluster: 'c',
        namespace: 'default',
        kind: 'Service',
        name: 'web',
        port: 70_000,
      }).causes,
    ).toEqual([{ field: 'port', message: 'expected a number ≤ 65535' }]);
  });

  it('refuses values that are not objects at all', () => {
    expect(rejection('kube.discover', 'profile:dev').causes).toEqual([
      { message: 'expected an object, got a string' },
    ]);
    expect(rejection('kube.discover', [1]).causes).toEqual([{ message: 'expected an object, got an array' }]);
  });

  it('refuses non-string map values in build arguments', () => {
    const err = rejection('images.build', {
      operationId: 'op',
      context: '/tmp/app',
      tag: 'app:1',
      buildArgs: { VERSION: 2 },
    });
    expect(err.causes).toEqual([{ field: 'buildArgs.VERSION', message: 'expected a string, got a number' }]);
  });
});
