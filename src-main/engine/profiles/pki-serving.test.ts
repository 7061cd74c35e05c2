import * as x509 from '@peculiar/x509';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureProfilePki, ensureServingCertificate } from './pki';

function ipSans(pem: string): string[] {
  const san = new x509.X509Certificate(pem).getExtension(x509.SubjectAlternativeNameExtension);
  return (san?.names.items ?? []).filter((n) => n.type === 'ip').map((n) => n.value);
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
    const leaf = new x509.X509Certificate(updated.serverCertPem);
    expect(await leaf.verify({ publicKey: new x509.X509Certificate(pki.caCertPem).publicKey })).toBe(true);

    // Written to disk, so the next start reloads it; asking again changes nothing.
    const reloaded = await ensureProfilePki(dir);
    expect(reloaded.serverCertPem).toBe(updated.serverCertPem);
    expect(await ensureServingCertificate(dir, reloaded, ['10.201.64.1'])).toBe(reloaded);
  });
});
