import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Credentials for one registry, as the Docker Engine API takes them (X-Registry-Auth). */
export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

/** The key Docker uses for Docker Hub in config.json `auths`. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

/** The folder of the user's Docker config: `$DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG?.trim() || join(homedir(), '.docker');
}

/**
 * The registry host of an image reference as Docker resolves it: the first path component when
 * it looks like a host (has `.` or `:`, or is `localhost`), else Docker Hub (`docker.io`).
 */
export function registryOf(reference: string): string {
  const slash = reference.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = reference.slice(0, slash);
  if (first === 'localhost' || first.includes('.') || first.includes(':')) {
    return first === 'index.docker.io' ? 'docker.io' : first;
  }
  return 'docker.io';
}

/**
 * The credentials config.json (`auths`) holds for `registry`, or undefined. Keys may be written
 * as `host`, `https://host` or `https://host/v1/`; Docker Hub is `https://index.docker.io/v1/`.
 * Credential helpers (`credsStore`, `credHelpers`) are not consulted.
 */
export function authFromConfig(config: unknown, registry: string): RegistryAuth | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const auths = (config as { auths?: unknown }).auths;
  if (typeof auths !== 'object' || auths === null) return undefined;
  const wanted = registry === 'docker.io' ? 'index.docker.io' : registry;
  for (const [key, value] of Object.entries(auths as Record<string, unknown>)) {
    const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (host !== wanted && !(registry === 'docker.io' && host === 'docker.io')) continue;
    if (typeof value !== 'object' || value === null) continue;
    const entry = value as {
      auth?: unknown;
      username?: unknown;
      password?: unknown;
      identitytoken?: unknown;
    };
    const serveraddress = registry === 'docker.io' ? DOCKER_HUB_KEY : registry;
    if (typeof entry.identitytoken === 'string' && entry.identitytoken) {
      return { identitytoken: entry.identitytoken, serveraddress };
    }
    if (typeof entry.auth === 'string' && entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress };
      }
    }
    if (typeof entry.username === 'string' && typeof entry.password === 'string') {
      return { username: entry.username, password: entry.password, serveraddress };
    }
  }
  return undefined;
}

/** The user's credentials for the registry of `reference`, from config.json; undefined if none or unreadable. */
export async function registryAuthFor(
  reference: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RegistryAuth | undefined> {
  let text: string;
  try {
    text = await readFile(join(dockerConfigDir(env), 'config.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return authFromConfig(JSON.parse(text), registryOf(reference));
  } catch {
    // A config.json Docker itself could not read either: push anonymously, as docker would fail to.
    return undefined;
  }
}
