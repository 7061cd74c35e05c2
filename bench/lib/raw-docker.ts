import Docker from 'dockerode';
import { runOk } from './profile';
import { APP_COMMAND, pauseImage, testImage } from './workloads';

/** Where raw pods go: the profile's network, with the DNS server pods get, like the kubelet's sandboxes. */
export interface RawPodPlace {
  network: string;
  dns?: string;
}

/** Containers of one raw pod. */
export interface RawPod {
  sandbox: string;
  app: string;
}

/**
 * A pod made by hand with the `docker` command: `docker create` + `docker start` of a sandbox, then
 * of the app container joining its network and IPC namespaces — the least a runtime must do.
 */
export async function rawPodWithCli(name: string, place: RawPodPlace): Promise<RawPod> {
  const sandboxArgs = ['create', '--name', `${name}-pod`, '--network', place.network, '--ipc', 'shareable'];
  if (place.dns) sandboxArgs.push('--dns', place.dns);
  const sandbox = (await runOk('docker', [...sandboxArgs, pauseImage()])).stdout.trim();
  await runOk('docker', ['start', sandbox]);
  const app = (
    await runOk('docker', [
      'create',
      '--name',
      `${name}-app`,
      '--network',
      `container:${sandbox}`,
      '--ipc',
      `container:${sandbox}`,
      '--entrypoint',
      APP_COMMAND[0],
      testImage(),
      ...APP_COMMAND.slice(1),
    ])
  ).stdout.trim();
  await runOk('docker', ['start', app]);
  return { sandbox, app };
}

/** The same raw pod through the Docker Engine API (dockerode), as the engine talks to Docker. */
export async function rawPodWithApi(docker: Docker, name: string, place: RawPodPlace): Promise<RawPod> {
  const sandbox = await docker.createContainer({
    name: `${name}-pod`,
    Image: pauseImage(),
    HostConfig: {
      NetworkMode: place.network,
      IpcMode: 'shareable',
      Dns: place.dns ? [place.dns] : undefined,
      RestartPolicy: { Name: 'no' },
    },
  });
  await sandbox.start();
  const app = await docker.createContainer({
    name: `${name}-app`,
    Image: testImage(),
    Entrypoint: [APP_COMMAND[0]],
    Cmd: APP_COMMAND.slice(1),
    HostConfig: {
      NetworkMode: `container:${sandbox.id}`,
      IpcMode: `container:${sandbox.id}`,
      RestartPolicy: { Name: 'no' },
    },
  });
  await app.start();
  return { sandbox: sandbox.id, app: app.id };
}

/** Stops (SIGTERM, as the kubelet does) and removes a raw pod, app first. */
export async function removeRawPod(docker: Docker, pod: RawPod): Promise<void> {
  for (const id of [pod.app, pod.sandbox]) {
    const container = docker.getContainer(id);
    await container.stop({ t: 5 }).catch(() => undefined);
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Force-removes every container whose name starts with `prefix` (cleanup after failures). */
export async function removeByPrefix(docker: Docker, prefix: string): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { name: [prefix] } });
  await Promise.all(
    containers
      .filter((c) => c.Names.some((n) => n.replace(/^\//, '').startsWith(prefix)))
      .map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
  );
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function withConcurrency<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export { Docker };
