import { homedir } from 'node:os';
import { join } from 'node:path';

/** The profile used when none is named (`-p` and `$KUBEDESK_PROFILE` absent). */
export const DEFAULT_PROFILE = 'kubedesk';

/** Where profiles live: `$KUBEDESK_HOME`, else `~/.kubedesk`. Read on every call so tests can switch it. */
export function kubedeskHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.KUBEDESK_HOME?.trim();
  return fromEnv ? fromEnv : join(homedir(), '.kubedesk');
}

/** The profile a command acts on when `-p` is not given: `$KUBEDESK_PROFILE`, else `kubedesk`. */
export function defaultProfileName(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.KUBEDESK_PROFILE?.trim();
  return fromEnv ? fromEnv : DEFAULT_PROFILE;
}

/** The folder that holds one folder per profile. */
export function profilesRoot(home: string = kubedeskHome()): string {
  return join(home, 'profiles');
}

/** Every file a profile owns, all inside `dir`, so deleting `dir` deletes the profile. */
export interface ProfilePaths {
  dir: string;
  /** ProfileConfig, written at creation and when settings change. */
  config: string;
  /** EngineRuntimeInfo, present only while an engine serves the API. */
  engine: string;
  /** The pid of the engine that owns the profile (exclusive lock). */
  lock: string;
  /** The engine's stdout and stderr. */
  log: string;
  pki: string;
}

/** Paths of profile `name` under `home`. The name is not validated here. */
export function profilePaths(name: string, home: string = kubedeskHome()): ProfilePaths {
  const dir = join(profilesRoot(home), name);
  return {
    dir,
    config: join(dir, 'config.json'),
    engine: join(dir, 'engine.json'),
    lock: join(dir, 'engine.pid'),
    log: join(dir, 'engine.log'),
    pki: join(dir, 'pki'),
  };
}
