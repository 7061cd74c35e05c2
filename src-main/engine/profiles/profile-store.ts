import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { createFileExclusive, writeFileAtomic } from './atomic-file';
import { readLockOwner } from './engine-lock';
import { kubedeskHome, profilePaths, profilesRoot } from './paths';
import { isProcessAlive } from './process-alive';
import { ProfileError, ProfileExistsError } from './profile-error';
import type { EngineRuntimeInfo, ProfileConfig } from './types';

/** The Kubernetes version the engine reports (`/version`), recorded in new profiles. */
export const DEFAULT_KUBERNETES_VERSION = 'v1.32.0';

const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_MAX_LENGTH = 63;

/**
 * Why `name` cannot name a profile, or undefined when it can. Profile names are DNS-1123 labels
 * because they also name the kubeconfig context, Docker networks and container labels.
 */
export function profileNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a profile name must not be empty';
  if (name.length > NAME_MAX_LENGTH) {
    return `profile name "${name}" must be no more than ${NAME_MAX_LENGTH} characters`;
  }
  if (!NAME_PATTERN.test(name)) {
    return (
      `profile name "${name}" must consist of lower case alphanumeric characters or '-', ` +
      `and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')`
    );
  }
  return undefined;
}

/** Throws a ProfileError (with a fix) when `name` is not a valid profile name. */
export function assertValidProfileName(name: string): void {
  const problem = profileNameProblem(name);
  if (problem)
    throw new ProfileError(`Invalid profile name: ${problem}.`, 'Choose another name with -p NAME.');
}

/** Settings a new profile is created with; the rest is defaulted. */
export interface NewProfile {
  name: string;
  apiServerPort: number;
  nodes?: number;
  cpus?: number;
  memoryMiB?: number;
  exposeOnAllInterfaces?: boolean;
  kubernetesVersion?: string;
}

/**
 * Writes the config.json of a new profile, creating its folder. Throws ProfileExistsError if the
 * profile exists, also when a concurrent caller created it first (creation is atomic).
 */
export async function createProfile(
  settings: NewProfile,
  home: string = kubedeskHome(),
): Promise<ProfileConfig> {
  assertValidProfileName(settings.name);
  if (await readProfileConfig(settings.name, home)) throw new ProfileExistsError(settings.name);
  const config: ProfileConfig = {
    name: settings.name,
    apiServerPort: settings.apiServerPort,
    nodes: settings.nodes ?? 1,
    ...(settings.cpus !== undefined ? { cpus: settings.cpus } : {}),
    ...(settings.memoryMiB !== undefined ? { memoryMiB: settings.memoryMiB } : {}),
    ...(settings.exposeOnAllInterfaces !== undefined
      ? { exposeOnAllInterfaces: settings.exposeOnAllInterfaces }
      : {}),
    kubernetesVersion: settings.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    createdAt: new Date().toISOString(),
  };
  // The profile holds keys, tokens and the state database: only its owner may look inside.
  await mkdir(profilePaths(config.name, home).dir, { recursive: true, mode: 0o700 });
  try {
    await createFileExclusive(
      profilePaths(config.name, home).config,
      `${JSON.stringify(config, null, 2)}\n`,
      0o644,
    );
  } catch (err) {
    if (isCode(err, 'EEXIST')) throw new ProfileExistsError(config.name);
    throw err;
  }
  return config;
}

/** Replaces the config.json of a profile (atomically). */
export async function writeProfileConfig(
  config: ProfileConfig,
  home: string = kubedeskHome(),
): Promise<void> {
  assertValidProfileName(config.name);
  await writeFileAtomic(
    profilePaths(config.name, home).config,
    `${JSON.stringify(config, null, 2)}\n`,
    0o644,
  );
}

/** The config of profile `name`, or undefined when it does not exist. A corrupt file is an error. */
export async function readProfileConfig(
  name: string,
  home: string = kubedeskHome(),
): Promise<ProfileConfig | undefined> {
  const path = profilePaths(name, home).config;
  const text = await readIfExists(path);
  if (text === undefined) return undefined;
  const parsed = parseConfig(text);
  if (!parsed) {
    throw new ProfileError(
      `The settings of profile "${name}" (${path}) are unreadable.`,
      `Delete the profile with "kubedesk delete -p ${name}" and start it again.`,
    );
  }
  return parsed;
}

/** Like readProfileConfig, but a missing profile is a ProfileError that says how to create it. */
export async function requireProfileConfig(
  name: string,
  home: string = kubedeskHome(),
): Promise<ProfileConfig> {
  assertValidProfileName(name);
  const config = await readProfileConfig(name, home);
  if (!config) {
    throw new ProfileError(
      `Profile "${name}" not found.`,
      `Create it with "kubedesk start -p ${name}", or see "kubedesk profile list".`,
    );
  }
  return config;
}

/** Every profile with a readable config, sorted by name. Folders that are not profiles are skipped. */
export async function listProfiles(home: string = kubedeskHome()): Promise<ProfileConfig[]> {
  let entries: string[];
  try {
    entries = await readdir(profilesRoot(home));
  } catch (err) {
    if (isCode(err, 'ENOENT')) return [];
    throw err;
  }
  const configs: ProfileConfig[] = [];
  for (const name of entries.sort()) {
    if (profileNameProblem(name)) continue;
    const text = await readIfExists(profilePaths(name, home).config);
    const config = text === undefined ? undefined : parseConfig(text);
    if (config) configs.push(config);
  }
  return configs;
}

/** Names of every profile folder, including ones whose config is unreadable (so they can be deleted). */
export async function listProfileNames(home: string = kubedeskHome()): Promise<string[]> {
  try {
    const entries = await readdir(profilesRoot(home), { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && !profileNameProblem(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (err) {
    if (isCode(err, 'ENOENT')) return [];
    throw err;
  }
}

/** Removes the profile's folder and everything in it. Missing is fine. */
export async function deleteProfileFiles(name: string, home: string = kubedeskHome()): Promise<void> {
  assertValidProfileName(name);
  await rm(profilePaths(name, home).dir, { recursive: true, force: true });
}

/** Records where a running engine serves (engine.json), for CLIs and the app. */
export async function writeEngineInfo(
  name: string,
  info: EngineRuntimeInfo,
  home: string = kubedeskHome(),
): Promise<void> {
  await writeFileAtomic(profilePaths(name, home).engine, `${JSON.stringify(info, null, 2)}\n`, 0o644);
}

/** Removes engine.json (the engine no longer serves). */
export async function removeEngineInfo(name: string, home: string = kubedeskHome()): Promise<void> {
  await rm(profilePaths(name, home).engine, { force: true });
}

/** The engine.json of the profile as written, whether or not that engine still lives. */
export async function readEngineInfo(
  name: string,
  home: string = kubedeskHome(),
): Promise<EngineRuntimeInfo | undefined> {
  const text = await readIfExists(profilePaths(name, home).engine);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (
      isRecord(value) &&
      typeof value.pid === 'number' &&
      typeof value.apiServerPort === 'number' &&
      typeof value.startedAt === 'string'
    ) {
      return { pid: value.pid, apiServerPort: value.apiServerPort, startedAt: value.startedAt };
    }
  } catch {
    // A torn or foreign file means no usable engine info.
  }
  return undefined;
}

/**
 * - `Running`: an engine process lives and has written engine.json (its API answered).
 * - `Starting`: an engine process holds the profile's lock but has not served yet.
 * - `Stopped`: no engine process lives.
 */
export type ProfileState = 'Running' | 'Starting' | 'Stopped';

export interface ProfileStatus {
  state: ProfileState;
  /** The engine's pid while one lives. */
  pid?: number;
  engine?: EngineRuntimeInfo;
}

/** The state of a profile, judged from its lock and engine.json and the liveness of their pids. */
export async function readProfileStatus(name: string, home: string = kubedeskHome()): Promise<ProfileStatus> {
  const paths = profilePaths(name, home);
  const [owner, engine] = await Promise.all([readLockOwner(paths.lock), readEngineInfo(name, home)]);
  if (engine && isProcessAlive(engine.pid) && (owner === undefined || owner === engine.pid)) {
    return { state: 'Running', pid: engine.pid, engine };
  }
  if (owner !== undefined && isProcessAlive(owner)) return { state: 'Starting', pid: owner };
  return { state: 'Stopped' };
}

function parseConfig(text: string): ProfileConfig | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (
      isRecord(value) &&
      typeof value.name === 'string' &&
      typeof value.apiServerPort === 'number' &&
      typeof value.nodes === 'number' &&
      typeof value.kubernetesVersion === 'string' &&
      typeof value.createdAt === 'string'
    ) {
      return value as unknown as ProfileConfig;
    }
  } catch {
    // Reported by the caller as unreadable.
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (isCode(err, 'ENOENT') || isCode(err, 'ENOTDIR')) return undefined;
    throw err;
  }
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
