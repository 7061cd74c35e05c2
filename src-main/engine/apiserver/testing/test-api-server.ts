import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureProfilePki } from '../../profiles/pki';
import type { ProfilePki } from '../../profiles/types';
import { openSqliteStore } from '../../store/sqlite-store';
import type { KeyValueStore } from '../../store/types';
import { startApiHttpServer } from '../http/server';
import type { ApiHttpServerOptions } from '../http/server';
import type { ApiExtensions } from '../http/extensions';
import type { RegisterSubresourceHandler } from '../http/subresource-handlers';
import { bootstrapCluster } from '../storage/bootstrap';
import type { StorageOptions } from '../storage/dependencies';
import { ObjectStorage } from '../storage/object-storage';
import { fakePatcher, fakeResolver } from './fake-resources';
import { runKubectl, spawnKubectl, writeTestKubeconfig } from './kubectl';
import type { KubectlOptions, KubectlProcess, KubectlResult } from './kubectl';

export interface TestApiServer {
  port: number;
  /** Temp folder holding the PKI, kubeconfig and kubectl's HOME; removed on close. */
  dir: string;
  kubeconfig: string;
  pki: ProfilePki;
  store: KeyValueStore;
  objectApi: ObjectStorage;
  registerSubresourceHandler: RegisterSubresourceHandler;
  extensions: ApiExtensions;
  kubectl(args: string[], options?: KubectlOptions): Promise<KubectlResult>;
  /** kubectl that must succeed; answers its stdout. */
  kubectlOk(args: string[], options?: KubectlOptions): Promise<string>;
  spawnKubectl(args: string[], options?: KubectlOptions): KubectlProcess;
  close(): Promise<void>;
}

export interface TestApiServerOptions {
  /** Use the small fake registry and patcher of fake-resources.ts instead of the built-in ones. */
  fake?: boolean;
  /** Storage wiring overrides. */
  storage?: Partial<Omit<StorageOptions, 'store'>>;
  http?: Partial<Omit<ApiHttpServerOptions, 'storage' | 'pki'>>;
}

/**
 * Starts an API server in-process on a free port with a fresh PKI and an in-memory store,
 * bootstraps the cluster, and writes a kubeconfig (client certificate files) for the real
 * kubectl. By default it is the real server (createApiServer's wiring).
 */
export async function startTestApiServer(options: TestApiServerOptions = {}): Promise<TestApiServer> {
  const dir = await mkdtemp(join(tmpdir(), 'kubedesk-apiserver-'));
  const pki = await ensureProfilePki(join(dir, 'profile'));
  const store = openSqliteStore(':memory:');
  // Loaded only when used, so fake-based tests do not pull in the whole registry.
  const builtin = options.fake ? undefined : await import('../index');
  const objectApi = builtin
    ? new ObjectStorage({ ...builtin.builtinStorageOptions(store), ...options.storage })
    : new ObjectStorage({ store, resources: fakeResolver(), patcher: fakePatcher, ...options.storage });
  bootstrapCluster(objectApi);
  const http = await startApiHttpServer({
    storage: objectApi,
    pki,
    log: (m) => console.error(m),
    ...(builtin ? builtin.builtinHttpOptions() : {}),
    ...options.http,
  });
  const kubeconfig = await writeTestKubeconfig(dir, http.port, pki);
  const kubectl = (args: string[], o?: KubectlOptions) => runKubectl(kubeconfig, dir, args, o);
  return {
    port: http.port,
    dir,
    kubeconfig,
    pki,
    store,
    objectApi,
    registerSubresourceHandler: http.subresources.register,
    extensions: http.extensions,
    kubectl,
    kubectlOk: async (args, o) => {
      const result = await kubectl(args, o);
      if (result.code !== 0) {
        throw new Error(
          `kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}${result.stdout}`,
        );
      }
      return result.stdout;
    },
    spawnKubectl: (args, o) => spawnKubectl(kubeconfig, dir, args, o),
    close: async () => {
      await http.close();
      store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
