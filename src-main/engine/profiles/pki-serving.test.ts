import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureProfilePki, ensureServingCertificate } from './pki';

function ipSans(pem: string): string[] {
  const names = new X509Certificate(pem).subjectAltName?.split(', ') ?? [];
  return names.filter((n) => n.startsWith('IP Address:')).map((n) => n.slice('IP Address:'.length));
}

describe('ensureServingCertificate', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('re-issues the serving certificate from the same CA when an address is missing, and keeps it otherwise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kd-pki-'));
    dirs.push(dir);
    const pki = await ensureProfilePki(dir);
    expect(ipSans(pki.serverCertPem)).not.toContain('10.201.64.1');

    const updated = await ensureServingCertificate(dir, pki, ['10.201.64.1', '10.201.0.1']);
    expect(ipSans(updated.serverCertPem)).toEqual(
      expect.arrayContaining(['127.0.0.1', '10.201.64.1', '10.201.0.1']),
    );
    expect(updated.caCertPem).toBe(pki.caCertPem);
    const leaf = new X509Certificate(updated.serverCertPem);
    expect(leaf.verify(new X509Certificate(pki.caCertPem).publicKey)).toBe(true);

    // Written to disk, so the next start reloads it; asking again changes nothing.
    const reloaded = await ensureProfilePki(dir);
    expect(reloaded.serverCertPem).toBe(updated.serverCertPem);
    expect(await ensureServingCertificate(dir, reloaded, ['10.201.64.1'])).toBe(reloaded);
  });
});
