import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  kubeconfigPath,
  mergeKubeconfigEntry,
  readCurrentContext,
  removeKubeconfigEntries,
  removeKubeconfigEntry,
  writeKubeconfigEntry,
} from './kubeconfig';
import type { KubeconfigEntry } from './kubeconfig';
import { ProfileError } from './profile-error';

const FOREIGN = `# my clusters
apiVersion: v1
kind: Config
preferences: {}
clusters:
  - cluster:
      certificate-authority-data: AAAA
      server: https://prod.example.com
    name: prod
contexts:
  - context:
      cluster: prod
      user: prod-admin
      namespace: payments # where I work
    name: prod
users:
  - name: prod-admin
    user:
      token: secret-token
current-context: prod
`;

const entry: KubeconfigEntry = {
  name: 'kubedesk',
  server: 'https://127.0.0.1:40123',
  certificateAuthority: '/home/u/.kubedesk/profiles/kubedesk/pki/ca.crt',
  clientCertificate: '/home/u/.kubedesk/profiles/kubedesk/pki/admin.crt',
  clientKey: '/home/u/.kubedesk/profiles/kubedesk/pki/admin.key',
};

interface Named {
  name: string;
  [key: string]: unknown;
}
interface Parsed {
  clusters: Named[];
  users: Named[];
  contexts: Named[];
  'current-context'?: string;
}

describe('mergeKubeconfigEntry', () => {
  it('creates a complete kubeconfig from nothing', () => {
    const config = parse(mergeKubeconfigEntry(undefined, entry)) as Parsed & Record<string, unknown>;
    expect(config).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [
        {
          name: 'kubedesk',
          cluster: { 'certificate-authority': entry.certificateAuthority, server: entry.server },
        },
      ],
      contexts: [
        { name: 'kubedesk', context: { cluster: 'kubedesk', namespace: 'default', user: 'kubedesk' } },
      ],
      users: [
        {
          name: 'kubedesk',
          user: { 'client-certificate': entry.clientCertificate, 'client-key': entry.clientKey },
        },
      ],
      'current-context': 'kubedesk',
    });
  });

  it('adds our entries beside foreign ones, keeping them and their comments', () => {
    const text = mergeKubeconfigEntry(FOREIGN, entry);
    const config = parse(text) as Parsed;
    expect(config.clusters.map((c) => c.name)).toEqual(['prod', 'kubedesk']);
    expect(config.users.map((c) => c.name)).toEqual(['prod-admin', 'kubedesk']);
    expect(config.contexts.map((c) => c.name)).toEqual(['prod', 'kubedesk']);
    expect(config.clusters[0]).toEqual((parse(FOREIGN) as Parsed).clusters[0]);
    expect(config.users[0]).toEqual((parse(FOREIGN) as Parsed).users[0]);
    expect(config.contexts[0]).toEqual((parse(FOREIGN) as Parsed).contexts[0]);
    expect(config['current-context']).toBe('kubedesk');
    expect(text).toContain('# my clusters');
    expect(text).toContain('# where I work');
  });

  it('replaces its own entries in place on a second merge (new port)', () => {
    const once = mergeKubeconfigEntry(FOREIGN, entry);
    const twice = mergeKubeconfigEntry(once, { ...entry, server: 'https://127.0.0.1:40999' });
    const config = parse(twice) as Parsed;
    expect(config.clusters).toHaveLength(2);
    expect(config.users).toHaveLength(2);
    expect(config.contexts).toHaveLength(2);
    expect((config.clusters[1].cluster as { server: string }).server).toBe('https://127.0.0.1:40999');
  });

  it('leaves current-context alone when asked to', () => {
    const config = parse(mergeKubeconfigEntry(FOREIGN, entry, false)) as Parsed;
    expect(config['current-context']).toBe('prod');
  });

  it('fills lists that client-go wrote as null', () => {
    const text =
      'apiVersion: v1\nkind: Config\nclusters: null\ncontexts: null\nusers: null\ncurrent-context: ""\n';
    const config = parse(mergeKubeconfigEntry(text, entry)) as Parsed;
    expect(config.clusters.map((c) => c.name)).toEqual(['kubedesk']);
    expect(config['current-context']).toBe('kubedesk');
  });

  it('rejects a file that is not a kubeconfig', () => {
    expect(() => mergeKubeconfigEntry('clusters: [unclosed\n', entry)).toThrow();
  });
});

describe('removeKubeconfigEntry', () => {
  it('removes only our entries and unsets current-context when it was ours', () => {
    const merged = mergeKubeconfigEntry(FOREIGN, entry);
    const { text, changed } = removeKubeconfigEntry(merged, 'kubedesk');
    expect(changed).toBe(true);
    const config = parse(text) as Parsed;
    expect(config.clusters.map((c) => c.name)).toEqual(['prod']);
    expect(config.users.map((c) => c.name)).toEqual(['prod-admin']);
    expect(config.contexts.map((c) => c.name)).toEqual(['prod']);
    expect(config['current-context']).toBeUndefined();
    expect(text).toContain('# where I work');
  });

  it('keeps a foreign current-context', () => {
    const merged = mergeKubeconfigEntry(FOREIGN, entry, false);
    const config = parse(removeKubeconfigEntry(merged, 'kubedesk').text) as Parsed;
    expect(config['current-context']).toBe('prod');
  });

  it('reports no change when the entries are absent', () => {
    expect(removeKubeconfigEntry(FOREIGN, 'kubedesk').changed).toBe(false);
    expect(removeKubeconfigEntry(undefined, 'kubedesk').changed).toBe(false);
  });
});

describe('kubeconfigPath', () => {
  it('uses the first entry of a KUBECONFIG path list', () => {
    expect(kubeconfigPath({ KUBECONFIG: ['/a/one', '/b/two'].join(delimiter) })).toBe('/a/one');
    expect(kubeconfigPath({ KUBECONFIG: `${delimiter}/b/two` })).toBe('/b/two');
  });

  it('falls back to ~/.kube/config', () => {
    expect(kubeconfigPath({})).toBe(join(homedir(), '.kube', 'config'));
    expect(kubeconfigPath({ KUBECONFIG: '' })).toBe(join(homedir(), '.kube', 'config'));
  });
});

describe('kubeconfig files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubedesk-kubeconfig-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the file and its folder with mode 0600 and removes the entries again', async () => {
    const path = join(dir, 'nested', '.kube', 'config');
    await writeKubeconfigEntry(entry, { path });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readCurrentContext(path)).toBe('kubedesk');
    expect(await removeKubeconfigEntries('kubedesk', path)).toBe(true);
    const config = parse(await readFile(path, 'utf8')) as Parsed;
    expect(config.clusters).toEqual([]);
    expect(await readCurrentContext(path)).toBeUndefined();
    expect(await removeKubeconfigEntries('kubedesk', path)).toBe(false);
  });

  it('merges into an existing file without losing foreign entries and leaves no lock behind', async () => {
    const path = join(dir, 'config');
    await writeFile(path, FOREIGN, { mode: 0o644 });
    await writeKubeconfigEntry(entry, { path });
    const config = parse(await readFile(path, 'utf8')) as Parsed;
    expect(config.clusters.map((c) => c.name)).toEqual(['prod', 'kubedesk']);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await expect(stat(`${path}.lock`)).rejects.toThrow();
  });

  it('writes through a symlinked kubeconfig', async () => {
    const real = join(dir, 'real-config');
    const link = join(dir, 'config');
    await writeFile(real, FOREIGN);
    await symlink(real, link);
    await writeKubeconfigEntry(entry, { path: link });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readCurrentContext(real)).toBe('kubedesk');
  });

  it('leaves an invalid file untouched and says so', async () => {
    const path = join(dir, 'config');
    await writeFile(path, 'clusters: [unclosed\n');
    await expect(writeKubeconfigEntry(entry, { path })).rejects.toBeInstanceOf(ProfileError);
    expect(await readFile(path, 'utf8')).toBe('clusters: [unclosed\n');
  });

  it('serializes concurrent writers so no entry is lost', async () => {
    const path = join(dir, 'config');
    await mkdir(dir, { recursive: true });
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) =>
        writeKubeconfigEntry({ ...entry, name }, { path, setCurrent: false }),
      ),
    );
    const config = parse(await readFile(path, 'utf8')) as Parsed;
    expect(config.clusters.map((c) => c.name).sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('removeKubeconfigEntry for a profile whose folder is gone', () => {
  it('removes the entries only when their CA file lies inside the given folder', () => {
    const merged = mergeKubeconfigEntry(FOREIGN, entry);
    const inside = removeKubeconfigEntry(merged, 'kubedesk', {
      onlyIfCertificateAuthorityUnder: '/home/u/.kubedesk/profiles/kubedesk',
    });
    expect(inside.changed).toBe(true);
    const elsewhere = removeKubeconfigEntry(merged, 'kubedesk', {
      onlyIfCertificateAuthorityUnder: '/home/u/.kubedesk/profiles/kube',
    });
    expect(elsewhere).toEqual({ text: merged, changed: false });
  });
});
