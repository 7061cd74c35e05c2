import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The agent program as one JavaScript file, and a hash naming its content. */
export interface AgentBundle {
  code: string;
  hash: string;
}

const AGENT_ENTRY = fileURLToPath(new URL('../../agent/main.ts', import.meta.url));

let cached: Promise<AgentBundle> | undefined;

/**
 * Bundles src-main/agent/main.ts (and dns-packet) into one CommonJS file for Node ≥ 20, once
 * per process. Where the sources are not shipped, `KUBEDESK_AGENT_BUNDLE` names a prebuilt
 * bundle instead.
 */
export function agentBundle(env: NodeJS.ProcessEnv = process.env): Promise<AgentBundle> {
  cached ??= build(env).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function build(env: NodeJS.ProcessEnv): Promise<AgentBundle> {
  let code: string;
  if (env.KUBEDESK_AGENT_BUNDLE) {
    code = await readFile(env.KUBEDESK_AGENT_BUNDLE, 'utf8');
  } else {
    if (!existsSync(AGENT_ENTRY))
      throw new Error(`network agent sources not found at ${AGENT_ENTRY}; set KUBEDESK_AGENT_BUNDLE`);
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [AGENT_ENTRY],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      write: false,
      legalComments: 'none',
      logLevel: 'silent',
    });
    code = result.outputFiles[0].text;
  }
  return { code, hash: createHash('sha256').update(code).digest('hex').slice(0, 16) };
}
