import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { removeNetwork } from './network-removal';

const docker = new Docker();
const image = process.env.KUBEDESK_TEST_IMAGE ?? 'kubedesk-test/busybox:1';
const name = `kubedesk-netrm-${randomBytes(3).toString('hex')}`;

afterAll(async () => {
  await docker
    .getContainer(name)
    .remove({ force: true })
    .catch(() => undefined);
  await docker
    .getNetwork(name)
    .remove()
    .catch(() => undefined);
});

describe('removeNetwork', () => {
  it('clears endpoints Docker still counts (here a live one) and removes the network', async () => {
    await docker.createNetwork({ Name: name, Driver: 'bridge' });
    const container = await docker.createContainer({
      name,
      Image: image,
      Cmd: ['sleep', '300'],
      HostConfig: { NetworkMode: name },
    });
    await container.start();
    await expect(docker.getNetwork(name).remove()).rejects.toThrow(/active endpoints/);

    await removeNetwork(docker, name);
    await expect(docker.getNetwork(name).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('treats a network that is already gone as removed', async () => {
    await expect(removeNetwork(docker, name)).resolves.toBeUndefined();
  });
});
