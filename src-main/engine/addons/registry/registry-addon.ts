import { createServer } from 'node:net';
import { request } from 'node:http';
import type { Addon, AddonSettings } from '../types';
import { ensureObject } from '../cluster-client';
import {
  CLAIMS,
  DEFAULT_REGISTRY_HOST_PORT,
  DEPLOYMENTS,
  REGISTRY_CLAIM,
  REGISTRY_NAME,
  REGISTRY_NAMESPACE,
  registryClaim,
  registryDeployment,
  registryImage,
  registryService,
  SERVICES,
} from './manifests';

/** The host port in a registry's settings, or undefined. */
export function registryPort(settings: AddonSettings): number | undefined {
  const port = settings.port;
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

/**
 * The in-cluster image registry: a Deployment in kube-system with its storage on a claim of
 * the default StorageClass, a Service `registry`, and the host port `localhost:<port>` for the
 * host's Docker engine (which treats localhost registries as insecure, so no TLS is needed).
 */
export const registryAddon: Addon = {
  name: 'registry',
  description: 'An image registry in the cluster, reachable from the host as localhost:<port>',
  available: true,
  removeNote: `Pushed images are kept in the claim ${REGISTRY_NAMESPACE}/${REGISTRY_CLAIM}; delete it with "kubectl -n ${REGISTRY_NAMESPACE} delete pvc ${REGISTRY_CLAIM}" to free the space.`,

  async prepare(previous, { wasEnabled, otherProfiles }) {
    // Another profile's registry may not hold its port right now (stopped, or its pod pending).
    const claimed = new Set(otherProfiles.map(registryPort).filter((port) => port !== undefined));
    const usable = async (port: number) => !claimed.has(port) && (await isPortFree(port));
    // Keep the port the registry had, so tags pushed before stay valid, unless another program
    // took it while the registry was off; else 5000 when usable.
    const kept = registryPort(previous);
    if (kept !== undefined && (wasEnabled || (await usable(kept)))) return { ...previous, port: kept };
    if (await usable(DEFAULT_REGISTRY_HOST_PORT)) return { ...previous, port: DEFAULT_REGISTRY_HOST_PORT };
    for (;;) {
      const port = await freePort();
      if (!claimed.has(port)) return { ...previous, port };
    }
  },

  async apply({ client, env, settings }) {
    const port = registryPort(settings) ?? DEFAULT_REGISTRY_HOST_PORT;
    await ensureObject(client, CLAIMS, registryClaim(), { immutableSpec: true });
    await ensureObject(client, DEPLOYMENTS, registryDeployment(registryImage(env), port));
    await ensureObject(client, SERVICES, registryService());
  },

  async remove({ client }) {
    await client.delete(DEPLOYMENTS, REGISTRY_NAMESPACE, REGISTRY_NAME, { propagationPolicy: 'Background' });
    await client.delete(SERVICES, REGISTRY_NAMESPACE, REGISTRY_NAME);
  },

  address(settings) {
    const port = registryPort(settings);
    return port === undefined ? undefined : `localhost:${port}`;
  },

  async isServing(settings) {
    return (await probeRegistry(registryPort(settings) ?? DEFAULT_REGISTRY_HOST_PORT, 1_000)) === 'ok';
  },

  async waitUntilReady({ settings }, timeoutMs) {
    const port = registryPort(settings) ?? DEFAULT_REGISTRY_HOST_PORT;
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      const answer = await probeRegistry(port);
      if (answer === 'ok') return;
      last = answer;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(
      `the registry did not answer on localhost:${port} within ${Math.round(timeoutMs / 1000)}s (last: ${last})`,
    );
  },
};

/** GET /v2/ on the registry's host port: 'ok' when it answers as a registry (200 or 401), else why not. */
export function probeRegistry(port: number, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/v2/', timeout: timeoutMs, agent: false },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status === 200 || status === 401 ? 'ok' : `HTTP ${status}`);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve(error.message));
    req.end();
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('the OS gave no free port'))));
    });
  });
}
