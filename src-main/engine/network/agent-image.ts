import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { AgentBundle } from './agent-bundle';

/** Label on the agent image: hash of the bundle and base image it was built from. */
export const AGENT_HASH_LABEL = 'io.kubedesk.agent-hash';
export const DEFAULT_AGENT_BASE_IMAGE = 'node:22-alpine';

/** The base image of the agent, from `KUBEDESK_AGENT_BASE_IMAGE`. */
export function agentBaseImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBEDESK_AGENT_BASE_IMAGE || DEFAULT_AGENT_BASE_IMAGE;
}

/**
 * Makes sure the agent image for this bundle and base exists and answers its tag
 * (`kubedesk-agent:<hash>`). The hash covers the bundle and the base image's id, so a new
 * agent build or a new base yields a new image while an unchanged one is reused at once.
 * The base must already be present or pullable; nothing else is fetched.
 */
export async function ensureAgentImage(
  docker: Docker,
  bundle: AgentBundle,
  baseImage: string,
): Promise<string> {
  const baseId = await ensureBase(docker, baseImage);
  const hash = `${bundle.hash}-${baseId.replace(/^sha256:/, '').slice(0, 12)}`;
  const tag = `kubedesk-agent:${hash}`;
  try {
    const info = await docker.getImage(tag).inspect();
    if (info.Config?.Labels?.[AGENT_HASH_LABEL] === hash) return tag;
  } catch {
    // Not built yet.
  }
  const dir = await mkdtemp(join(tmpdir(), 'kubedesk-agent-'));
  try {
    await writeFile(join(dir, 'agent.cjs'), bundle.code);
    await writeFile(
      join(dir, 'Dockerfile'),
      [
        `FROM ${baseImage}`,
        'COPY agent.cjs /kubedesk/agent.cjs',
        `LABEL ${AGENT_HASH_LABEL}="${hash}"`,
        'ENTRYPOINT ["node", "/kubedesk/agent.cjs"]',
        'CMD []',
        '',
      ].join('\n'),
    );
    const stream = await docker.buildImage(
      { context: dir, src: ['Dockerfile', 'agent.cjs'] },
      { t: tag, rm: true, forcerm: true },
    );
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null, output: Array<{ error?: string }> | undefined) => {
          const failed = error?.message ?? output?.find((o) => o.error)?.error;
          if (failed) reject(new Error(`building the network agent image failed: ${failed}`));
          else resolve();
        },
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await removeOldAgentImages(docker, tag);
  return tag;
}

/** Older agent builds nobody runs any more; one still in use (another profile) is kept. */
async function removeOldAgentImages(docker: Docker, keep: string): Promise<void> {
  const images = await docker.listImages({ filters: { reference: ['kubedesk-agent'] } }).catch(() => []);
  for (const image of images) {
    for (const tag of image.RepoTags ?? []) {
      if (tag === keep) continue;
      // Docker refuses (409) while a container uses the image; that is the wanted outcome.
      await docker
        .getImage(tag)
        .remove()
        .catch(() => undefined);
    }
  }
}

async function ensureBase(docker: Docker, image: string): Promise<string> {
  try {
    return (await docker.getImage(image).inspect()).Id;
  } catch {
    // Absent: pull it once.
  }
  try {
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    throw new Error(
      `the network agent's base image ${image} is not present and could not be pulled (${error instanceof Error ? error.message : String(error)}); ` +
        'pull it, or set KUBEDESK_AGENT_BASE_IMAGE to a local image that has node ≥ 20 and ip',
    );
  }
  return (await docker.getImage(image).inspect()).Id;
}
