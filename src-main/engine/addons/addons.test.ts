import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApiServer } from '../apiserver/testing/test-api-server';
import { startTestApiServer } from '../apiserver/testing/test-api-server';
import type { KubeObject } from '../k8s-object';
import { addonStatePath, readAddonStates, writeAddonRecord } from './addon-state';
import { applyEnabledAddons } from './apply-enabled';
import { ADDONS, plannedAddon } from './catalog';
import { objectApiClient } from './cluster-client';
import { httpClusterClient } from './http-client';
import { createProfile } from '../profiles/profile-store';
import { addonTargetFor } from './profile-target';
import { AddonError, disableAddon, enableAddon, listAddons } from './manage';
import { CLAIMS, DEPLOYMENTS, SERVICES } from './registry/manifests';
import { registryAddon } from './registry/registry-addon';

let server: TestApiServer;
let dir: string;

beforeAll(async () => {
  server = await startTestApiServer();
});

afterAll(async () => {
  await server.close();
});

async function freshProfileDir(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'addons-'));
  return dir;
}

function container(deployment: KubeObject | undefined): {
  image?: string;
  ports?: { containerPort: number; hostPort?: number; hostIP?: string }[];
} {
  const spec = deployment?.spec as
    { template: { spec: { containers: Record<string, unknown>[] } } } | undefined;
  return (spec?.template.spec.containers[0] ?? {}) as ReturnType<typeof container>;
}

function listen(port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const socket = createServer();
    socket.listen(port, '127.0.0.1', () => resolve(socket));
  });
}

describe('addon state', () => {
  it('keeps one record per addon in addons.json and skips what it cannot read', async () => {
    const profileDir = await freshProfileDir();
    expect(await readAddonStates(profileDir)).toEqual({});
    await writeAddonRecord(profileDir, 'registry', { enabled: true, settings: { port: 5001 } });
    await writeAddonRecord(profileDir, 'ingress', { enabled: false, settings: {} });
    expect(await readAddonStates(profileDir)).toEqual({
      registry: { enabled: true, settings: { port: 5001 } },
      ingress: { enabled: false, settings: {} },
    });
    expect(JSON.parse(await readFile(addonStatePath(profileDir), 'utf8'))).toHaveProperty(
      'registry.enabled',
      true,
    );
    await rm(profileDir, { recursive: true, force: true });
  });
});

describe('applyEnabledAddons (in the engine, over ObjectApi)', () => {
  it('creates the registry objects for an enabled registry, and converges on a second start', async () => {
    const profileDir = await freshProfileDir();
    await writeAddonRecord(profileDir, 'registry', { enabled: true, settings: { port: 5123 } });
    const logs: string[] = [];
    const env = { KUBEDESK_REGISTRY_IMAGE: 'kubedesk-test/registry:1' };
    const applied = await applyEnabledAddons({
      api: server.objectApi,
      profile: 'p',
      profileDir,
      env,
      log: (line) => logs.push(line),
    });
    expect(applied).toEqual(['registry']);

    const client = objectApiClient(server.objectApi);
    const deployment = await client.get(DEPLOYMENTS, 'kube-system', 'registry');
    expect(container(deployment).image).toBe('kubedesk-test/registry:1');
    expect(container(deployment).ports).toEqual([
      { name: 'registry', containerPort: 5000, hostPort: 5123, hostIP: '127.0.0.1', protocol: 'TCP' },
    ]);
    const service = await client.get(SERVICES, 'kube-system', 'registry');
    const clusterIP = (service?.spec as { clusterIP?: string }).clusterIP;
    expect(clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const claim = await client.get(CLAIMS, 'kube-system', 'registry-storage');
    expect((claim?.spec as { resources: unknown }).resources).toEqual({ requests: { storage: '10Gi' } });

    // A later start with another image (an upgrade) updates the Deployment and keeps the rest.
    await applyEnabledAddons({
      api: server.objectApi,
      profile: 'p',
      profileDir,
      env: { KUBEDESK_REGISTRY_IMAGE: 'registry:2.8' },
    });
    expect(container(await client.get(DEPLOYMENTS, 'kube-system', 'registry')).image).toBe('registry:2.8');
    expect(
      ((await client.get(SERVICES, 'kube-system', 'registry'))?.spec as { clusterIP?: string }).clusterIP,
    ).toBe(clusterIP);
    await registryAddon.remove({ client, profile: 'p', env: {}, settings: {} });
    await client.delete(CLAIMS, 'kube-system', 'registry-storage');
    await rm(profileDir, { recursive: true, force: true });
  });

  it('applies nothing when nothing is enabled', async () => {
    const profileDir = await freshProfileDir();
    expect(await applyEnabledAddons({ api: server.objectApi, profile: 'p', profileDir })).toEqual([]);
    expect(
      await objectApiClient(server.objectApi).get(DEPLOYMENTS, 'kube-system', 'registry'),
    ).toBeUndefined();
    await rm(profileDir, { recursive: true, force: true });
  });
});

describe('enable, disable and list (over HTTPS as the admin)', () => {
  const endpoint = () => ({
    port: server.port,
    caCertPem: server.pki.caCertPem,
    clientCertPem: server.pki.adminCertPem,
    clientKeyPem: server.pki.adminKeyPem,
  });

  it('enables the registry on a running cluster and disables it keeping its claim', async () => {
    const profileDir = await freshProfileDir();
    const client = httpClusterClient(endpoint());
    const target = {
      profile: 'p',
      profileDir,
      client,
      env: { KUBEDESK_REGISTRY_IMAGE: 'kubedesk-test/registry:1' },
    };

    const enabled = await enableAddon('registry', target, { waitMs: 0 });
    expect(enabled.appliedNow).toBe(true);
    expect(enabled.view.state).toBe('enabled');
    expect(enabled.view.address).toMatch(/^localhost:\d+$/);
    const port = Number(enabled.view.address?.split(':')[1]);
    expect(container(await client.get(DEPLOYMENTS, 'kube-system', 'registry')).ports?.[0].hostPort).toBe(
      port,
    );

    // Enabling again keeps the port (pushed tags name it).
    expect((await enableAddon('registry', target, { waitMs: 0 })).view.address).toBe(`localhost:${port}`);

    const listed = await listAddons(profileDir, { probe: true });
    // Nothing runs pods in this API server: enabled, but not answering.
    expect(listed.find((view) => view.name === 'registry')?.serving).toBe(false);
    expect((await listAddons(profileDir)).find((view) => view.name === 'registry')?.serving).toBeUndefined();
    // Every addon is listed; the others keep the state their availability gives them.
    expect(listed.map((view) => [view.name, view.state])).toEqual(
      ADDONS.map((addon) => [
        addon.name,
        addon.name === 'registry' ? 'enabled' : addon.available ? 'disabled' : 'unavailable',
      ]),
    );

    const disabled = await disableAddon('registry', target);
    expect(disabled.view).toMatchObject({ name: 'registry', state: 'disabled' });
    expect(disabled.view.address).toBeUndefined();
    expect(disabled.note).toContain('registry-storage');
    expect(await client.get(SERVICES, 'kube-system', 'registry')).toBeUndefined();
    expect(await client.get(CLAIMS, 'kube-system', 'registry-storage')).toBeDefined();
    const deployment = await client.get(DEPLOYMENTS, 'kube-system', 'registry');
    expect(deployment === undefined || deployment.metadata.deletionTimestamp !== undefined).toBe(true);
    expect((await readAddonStates(profileDir)).registry).toEqual({ enabled: false, settings: { port } });
    await client.delete(CLAIMS, 'kube-system', 'registry-storage');
    await rm(profileDir, { recursive: true, force: true });
  });

  it('records an enable on a stopped profile for its next start', async () => {
    const profileDir = await freshProfileDir();
    const change = await enableAddon('registry', { profile: 'p', profileDir });
    expect(change.appliedNow).toBe(false);
    expect((await readAddonStates(profileDir)).registry?.enabled).toBe(true);
    await rm(profileDir, { recursive: true, force: true });
  });

  it('refuses unknown and not yet available addons with a fix', async () => {
    const profileDir = await freshProfileDir();
    await expect(enableAddon('nope', { profile: 'p', profileDir })).rejects.toThrow(AddonError);
    await expect(enableAddon('nope', { profile: 'p', profileDir })).rejects.toThrow('No addon named "nope".');
    const addons = [plannedAddon('someday', 'Not yet'), registryAddon];
    await expect(enableAddon('someday', { profile: 'p', profileDir }, { addons })).rejects.toThrow(
      'The someday addon is not available in this version.',
    );
    expect(await listAddons(profileDir, { addons })).toEqual([
      { name: 'someday', description: 'Not yet', state: 'unavailable' },
      { name: 'registry', description: registryAddon.description, state: 'disabled' },
    ]);
    await rm(profileDir, { recursive: true, force: true });
  });

  it("reports API errors with the server's status code and message", async () => {
    const client = httpClusterClient(endpoint());
    const bad = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'Not_Valid', namespace: 'default' },
      spec: {},
    };
    await expect(client.create(SERVICES, 'default', bad)).rejects.toMatchObject({
      code: 422,
      message: expect.stringContaining('Not_Valid'),
    });
  });
});

describe('registry port', () => {
  it('keeps its port while enabled, and moves off a port another program took meanwhile', async () => {
    const taken = await listen();
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const prepare = registryAddon.prepare;
      if (!prepare) throw new Error('the registry prepares its port');
      expect(await prepare({ port }, { wasEnabled: true, otherProfiles: [] })).toEqual({ port });
      const moved = await prepare({ port }, { wasEnabled: false, otherProfiles: [] });
      expect(moved.port).not.toBe(port);
      expect(typeof moved.port).toBe('number');
    } finally {
      taken.close();
    }
  });

  it('is serving when its port answers as a registry', async () => {
    const registry = createHttpServer((request, response) => {
      response.writeHead(request.url === '/v2/' ? 200 : 404, { 'Content-Type': 'application/json' });
      response.end('{}');
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const address = registry.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      expect(await registryAddon.isServing?.({ port })).toBe(true);
    } finally {
      registry.close();
    }
    expect(await registryAddon.isServing?.({ port })).toBe(false);
  });

  it("never hands out a port another profile's registry has, even while that one is down", async () => {
    const home = await mkdtemp(join(tmpdir(), 'addons-ports-'));
    try {
      const first = join(home, 'profiles', 'first');
      const second = join(home, 'profiles', 'second');
      const a = await enableAddon('registry', { profile: 'first', profileDir: first });
      const b = await enableAddon('registry', { profile: 'second', profileDir: second });
      expect(a.view.address).toMatch(/^localhost:\d+$/);
      expect(b.view.address).toMatch(/^localhost:\d+$/);
      expect(b.view.address).not.toBe(a.view.address);
      // Re-enabling the first keeps its own port.
      expect((await enableAddon('registry', { profile: 'first', profileDir: first })).view.address).toBe(
        a.view.address,
      );
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('shows localhost:<port> as its address', () => {
    expect(registryAddon.address?.({ port: 5000 })).toBe('localhost:5000');
    expect(registryAddon.address?.({})).toBeUndefined();
  });
});

describe('addonTargetFor', () => {
  it('has no client for a stopped profile and refuses a missing one', async () => {
    const home = await mkdtemp(join(tmpdir(), 'addons-home-'));
    try {
      await createProfile({ name: 'stopped', apiServerPort: 1 }, home);
      const target = await addonTargetFor('stopped', home, {});
      expect(target.client).toBeUndefined();
      expect(target.profileDir).toBe(join(home, 'profiles', 'stopped'));
      await expect(addonTargetFor('missing', home, {})).rejects.toThrow('Profile "missing" not found.');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
