import { afterEach, describe, expect, it } from 'vitest';
import { createObjectStorage } from '../../apiserver';
import { bootstrapCluster } from '../../apiserver/storage/bootstrap';
import { openSqliteStore } from '../../store/sqlite-store';
import { FakeClock } from '../runtime/clock';
import { ROOT_CA_CONFIGMAP, startRootCaPublisher } from './controller';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

async function settle(clock: FakeClock): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await clock.advance(100);
  }
}

describe('root CA publisher', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('publishes kube-root-ca.crt in every namespace, new ones too, and restores it when deleted or edited', async () => {
    const store = openSqliteStore(':memory:');
    const api = createObjectStorage(store);
    bootstrapCluster(api);
    const clock = new FakeClock();
    const publisher = startRootCaPublisher({ api, clock, caCertificatePem: PEM });
    stops.push(() => publisher.stop());
    await settle(clock);

    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      expect(api.get(CONFIGMAPS, ns, ROOT_CA_CONFIGMAP).data).toEqual({ 'ca.crt': PEM });
    }

    api.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    await settle(clock);
    expect(api.get(CONFIGMAPS, 'team-a', ROOT_CA_CONFIGMAP).data).toEqual({ 'ca.crt': PEM });

    api.delete(CONFIGMAPS, 'team-a', ROOT_CA_CONFIGMAP);
    await settle(clock);
    expect(api.get(CONFIGMAPS, 'team-a', ROOT_CA_CONFIGMAP).data).toEqual({ 'ca.crt': PEM });

    api.patch(CONFIGMAPS, 'default', ROOT_CA_CONFIGMAP, 'merge', { data: { 'ca.crt': 'tampered' } });
    await settle(clock);
    expect(api.get(CONFIGMAPS, 'default', ROOT_CA_CONFIGMAP).data).toEqual({ 'ca.crt': PEM });
  });
});
