import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { PROFILE_LABEL, removeProfileDockerObjects } from './docker-cleanup';

const docker = new Docker();
const image = process.env.KUBEDESK_TEST_IMAGE ?? 'kubedesk-test/busybox:1';
const profile = `cleanup-${randomBytes(3).toString('hex')}`;
const other = `${profile}-other`;

afterAll(async () => {
  await removeProfileDockerObjects(profile, docker);
  await removeProfileDockerObjects(other, docker);
});

async function createObjects(name: string): Promise<void> {
  const labels = { [PROFILE_LABEL]: name };
  await docker.createNetwork({ Name: `kubedesk-${name}`, Driver: 'bridge', Labels: labels });
  await docker.createVolume({ Name: `kubedesk-${name}-data`, Labels: labels });
  const container = await docker.createContainer({
    name: `kubedesk-${name}-sleeper`,
    Image: image,
    Cmd: ['sleep', '300'],
    Labels: labels,
    HostConfig: { NetworkMode: `kubedesk-${name}` },
  });
  await container.start();
}

describe('removeProfileDockerObjects', () => {
  it("removes a profile's running containers, networks and volumes, and nothing of other profiles", async () => {
    await createObjects(profile);
    await createObjects(other);

    const result = await removeProfileDockerObjects(profile, docker);
    expect(result).toEqual({ reachable: true, containers: 1, networks: 1, volumes: 1, failures: [] });

    const filters = (name: string) => ({ label: [`${PROFILE_LABEL}=${name}`] });
    expect(await docker.listContainers({ all: true, filters: filters(profile) })).toEqual([]);
    expect(await docker.listNetworks({ filters: filters(profile) })).toEqual([]);
    expect((await docker.listVolumes({ filters: filters(profile) })).Volumes ?? []).toEqual([]);
    expect(await docker.listContainers({ all: true, filters: filters(other) })).toHaveLength(1);

    expect(await removeProfileDockerObjects(profile, docker)).toMatchObject({ containers: 0, networks: 0 });
  });

  it('reports an absent Docker engine instead of failing', async () => {
    const nowhere = new Docker({ socketPath: '/nonexistent/docker.sock' });
    expect(await removeProfileDockerObjects(profile, nowhere)).toMatchObject({
      reachable: false,
      containers: 0,
    });
  });
});
