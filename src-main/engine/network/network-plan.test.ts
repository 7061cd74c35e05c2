import { describe, expect, it } from 'vitest';
import { formatRequest, parseReply, parseRequest } from '../../agent/tunnel-protocol';
import { planFor, profileNetworkName } from './network-plan';
import { hostUrls, NoHostPortError } from './service-urls';

describe('network plan', () => {
  it('puts the agent, the Service CIDR and the container range in one /16 without overlap', () => {
    const plan = planFor('dev', 201);
    expect(plan).toEqual({
      name: 'kubedesk-dev',
      subnet: '10.201.0.0/16',
      gateway: '10.201.0.1',
      agentIp: '10.201.0.2',
      serviceCidr: '10.201.64.0/18',
      kubernetesServiceIp: '10.201.64.1',
      ipRange: '10.201.128.0/17',
    });
    expect(profileNetworkName('a')).toBe('kubedesk-a');
  });
});

describe('tunnel protocol', () => {
  it('round-trips requests and replies', () => {
    const line = formatRequest({ kind: 'connect', token: 'tok', ip: '10.1.2.3', port: 80 });
    expect(line).toBe('KDTUN1 tok 10.1.2.3 80\n');
    expect(parseRequest(line)).toEqual({ kind: 'connect', token: 'tok', ip: '10.1.2.3', port: 80 });
    expect(parseRequest(formatRequest({ kind: 'ping', token: 'tok' }))).toEqual({
      kind: 'ping',
      token: 'tok',
    });
    expect(parseRequest('KDTUN1 tok example.com 80')).toBeUndefined();
    expect(parseRequest('KDTUN1 tok 10.1.2.3 70000')).toBeUndefined();
    expect(parseRequest('GET / HTTP/1.1')).toBeUndefined();
    expect(parseReply('OK')).toEqual({ ok: true });
    expect(parseReply('ERR ECONNREFUSED connect ECONNREFUSED 10.1.2.3:80')).toEqual({
      ok: false,
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 10.1.2.3:80',
    });
  });
});

describe('service URLs', () => {
  it('lists NodePort and LoadBalancer URLs and refuses ClusterIP Services', () => {
    expect(
      hostUrls({
        metadata: { name: 'np', namespace: 'default' },
        spec: {
          type: 'NodePort',
          ports: [
            { name: 'http', port: 80, nodePort: 30080 },
            { name: 'https', port: 443, nodePort: 30443 },
          ],
        },
      }),
    ).toEqual([
      { portName: 'http', url: 'http://127.0.0.1:30080' },
      { portName: 'https', url: 'https://127.0.0.1:30443' },
    ]);
    expect(
      hostUrls({
        metadata: { name: 'lb' },
        spec: { type: 'LoadBalancer', ports: [{ port: 8080, nodePort: 31000 }] },
      }),
    ).toEqual([{ portName: '', url: 'http://127.0.0.1:8080' }]);
    expect(() =>
      hostUrls({ metadata: { name: 'c', namespace: 'x' }, spec: { ports: [{ port: 80 }] } }),
    ).toThrow(new NoHostPortError('service x/c has no node port'));
  });
});
