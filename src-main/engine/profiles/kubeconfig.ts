import { lstat, mkdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { YAMLMap } from 'yaml';
import { Document, isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import { writeFileAtomic } from './atomic-file';
import { ProfileError } from './profile-error';

/** One cluster + user + context triple, all named `name` (the profile's name). */
export interface KubeconfigEntry {
  name: string;
  /** `https://127.0.0.1:<port>` */
  server: string;
  /** Paths of PEM files (the kubeconfig references them, it does not embed them). */
  certificateAuthority: string;
  clientCertificate: string;
  clientKey: string;
  /** Namespace of the context; `default` when omitted. */
  namespace?: string;
}

/** Block sequences flush with their key, as kubectl writes them, so foreign parts keep their look. */
const TO_STRING = { indentSeq: false } as const;

/**
 * The kubeconfig file Kubedesk writes to: the first entry of `$KUBECONFIG` (a path list, as kubectl
 * reads it), else `~/.kube/config`.
 */
export function kubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = (env.KUBECONFIG ?? '')
    .split(delimiter)
    .map((entry) => entry.trim())
    .find((entry) => entry.length > 0);
  return first ?? join(homedir(), '.kube', 'config');
}

/**
 * Returns `text` (a kubeconfig, possibly empty) with the cluster, user and context named
 * `entry.name` added or replaced, and — unless `setCurrent` is false — made the current context.
 * Every other entry, field and comment is kept as it was.
 */
export function mergeKubeconfigEntry(
  text: string | undefined,
  entry: KubeconfigEntry,
  setCurrent = true,
): string {
  const doc = parseKubeconfig(text);
  upsertNamed(doc, 'clusters', entry.name, 'cluster', {
    'certificate-authority': entry.certificateAuthority,
    server: entry.server,
  });
  upsertNamed(doc, 'users', entry.name, 'user', {
    'client-certificate': entry.clientCertificate,
    'client-key': entry.clientKey,
  });
  upsertNamed(doc, 'contexts', entry.name, 'context', {
    cluster: entry.name,
    namespace: entry.namespace ?? 'default',
    user: entry.name,
  });
  if (setCurrent) doc.set('current-context', entry.name);
  return doc.toString(TO_STRING);
}

export interface RemoveOptions {
  /**
   * Remove only if the cluster named `name` trusts a CA file inside this folder: proof the entries
   * were written for a profile there (used to clean up after a profile whose folder is gone).
   */
  onlyIfCertificateAuthorityUnder?: string;
}

/**
 * Returns `text` without the cluster, user and context named `name`; `current-context` is removed
 * when it named this context. Other entries are kept as they were. `changed` tells whether anything
 * was removed.
 */
export function removeKubeconfigEntry(
  text: string | undefined,
  name: string,
  options: RemoveOptions = {},
): { text: string; changed: boolean } {
  if (text === undefined || text.trim() === '') return { text: text ?? '', changed: false };
  const doc = parseKubeconfig(text);
  if (options.onlyIfCertificateAuthorityUnder !== undefined) {
    const ca = clusterCertificateAuthority(doc, name);
    if (ca === undefined || !isInside(ca, options.onlyIfCertificateAuthorityUnder))
      return { text, changed: false };
  }
  let changed = false;
  for (const key of ['clusters', 'users', 'contexts']) {
    const seq = doc.get(key);
    if (!isSeq(seq)) continue;
    const index = seq.items.findIndex((item) => isMap(item) && item.get('name') === name);
    if (index >= 0) {
      seq.items.splice(index, 1);
      changed = true;
    }
  }
  if (doc.get('current-context') === name) {
    doc.delete('current-context');
    changed = true;
  }
  return { text: doc.toString(TO_STRING), changed };
}

/** The context kubectl uses now, per the file at `path` (undefined when unset or no file). */
export async function readCurrentContext(path: string = kubeconfigPath()): Promise<string | undefined> {
  const text = await readIfExists(path);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = parseKubeconfig(text).get('current-context');
  } catch (err) {
    throw unreadable(path, err);
  }
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Merges `entry` into the kubeconfig at `path` (see mergeKubeconfigEntry) and writes it back
 * atomically with mode 0600, under kubectl's `<file>.lock` so a concurrent `kubectl config` edit is
 * not lost. A file that is not valid YAML is left untouched and reported as a ProfileError.
 */
export async function writeKubeconfigEntry(
  entry: KubeconfigEntry,
  options: { path?: string; setCurrent?: boolean } = {},
): Promise<void> {
  const path = options.path ?? kubeconfigPath();
  await editKubeconfig(path, (text) => mergeKubeconfigEntry(text, entry, options.setCurrent ?? true));
}

/** Removes the entries named `name` from the kubeconfig at `path`; a missing file is fine. */
export async function removeKubeconfigEntries(
  name: string,
  path: string = kubeconfigPath(),
  options: RemoveOptions = {},
): Promise<boolean> {
  let changed = false;
  await editKubeconfig(path, (text) => {
    const result = removeKubeconfigEntry(text, name, options);
    changed = result.changed;
    return result.changed ? result.text : undefined;
  });
  return changed;
}

/** Read-modify-write of a kubeconfig; `edit` returns the new text, or undefined to leave it. */
async function editKubeconfig(
  path: string,
  edit: (text: string | undefined) => string | undefined,
): Promise<void> {
  // Write through a symlinked kubeconfig instead of replacing the link with a file.
  const target = await resolveTarget(path);
  const release = await lockKubeconfig(target);
  try {
    const text = await readIfExists(target);
    let next: string | undefined;
    try {
      next = edit(text);
    } catch (err) {
      throw unreadable(target, err);
    }
    if (next !== undefined && next !== text) await writeFileAtomic(target, next, 0o600);
  } finally {
    await release();
  }
}

function clusterCertificateAuthority(doc: Document, name: string): string | undefined {
  const clusters = doc.get('clusters');
  if (!isSeq(clusters)) return undefined;
  const item = clusters.items.find((entry) => isMap(entry) && entry.get('name') === name);
  const ca: unknown = isMap(item) ? item.getIn(['cluster', 'certificate-authority']) : undefined;
  return typeof ca === 'string' ? ca : undefined;
}

function isInside(path: string, dir: string): boolean {
  const relation = relative(resolve(dir), resolve(path));
  return relation !== '' && !relation.startsWith('..') && !isAbsolute(relation);
}

/** Parses a kubeconfig; an empty one is a fresh document. Throws a plain Error when it is not one. */
function parseKubeconfig(text: string | undefined): Document {
  if (text === undefined || text.trim() === '') {
    return new Document({
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [],
      contexts: [],
      users: [],
    });
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw doc.errors[0];
  if (!isMap(doc.contents)) throw new Error('its top level is not a mapping');
  return doc;
}

/** Replaces (in place, keeping its position) or appends the `{name, <field>: body}` item of a list. */
function upsertNamed(
  doc: Document,
  listKey: string,
  name: string,
  field: string,
  body: Record<string, string>,
): void {
  let seq = doc.get(listKey);
  if (!isSeq(seq)) {
    // Absent, or `null` as client-go writes empty lists.
    seq = new YAMLSeq();
    doc.set(listKey, seq);
  }
  const list = seq as YAMLSeq;
  const node = doc.createNode({ [field]: body, name }) as YAMLMap;
  const index = list.items.findIndex((item) => isMap(item) && item.get('name') === name);
  if (index >= 0) list.items[index] = node;
  else list.items.push(node);
}

const LOCK_WAIT_MS = 5_000;
const LOCK_STALE_MS = 30_000;

async function lockKubeconfig(path: string): Promise<() => Promise<void>> {
  const lock = `${path}.lock`;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await writeFile(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => rm(lock, { force: true });
    } catch (err) {
      if (!isCode(err, 'EEXIST')) throw err;
    }
    const lockAge = await ageMs(lock);
    if (lockAge !== undefined && lockAge > LOCK_STALE_MS) {
      await rm(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new ProfileError(
        `The kubeconfig ${path} is locked by another program (${lock} exists).`,
        `Retry in a moment; if no kubectl or kubedesk command is running, remove ${lock}.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function resolveTarget(path: string): Promise<string> {
  try {
    if ((await lstat(path)).isSymbolicLink()) return await realpath(path);
  } catch (err) {
    if (!isCode(err, 'ENOENT')) throw err;
  }
  return path;
}

function unreadable(path: string, cause: unknown): ProfileError {
  const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  return new ProfileError(
    `${path} is not a valid kubeconfig (${detail}); it was left unchanged.`,
    `Fix or move that file, or point KUBECONFIG at another file.`,
  );
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (isCode(err, 'ENOENT')) return undefined;
    throw err;
  }
}

async function ageMs(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
