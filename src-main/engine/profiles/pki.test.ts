import { X509Certificate, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureProfilePki, issueClientCertificate } from './pki';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubedesk-pki-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ensureProfilePki', () => {
  it('creates a CA, serving and admin certificates that verify against the CA', async () => {
    const pki = await ensureProfilePki(dir);
    const ca = new X509Certificate(pki.caCertPem);
    const server = new X509Certificate(pki.serverCertPem);
    const admin = new X509Certificate(pki.adminCertPem);

    expect(ca.subject).toBe('CN=kubedesk-ca');
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
    expect(admin.checkIssued(ca) && admin.verify(ca.publicKey)).toBe(true);
    expect(server.ca).toBe(false);

    const caYears = (Date.parse(ca.validTo) - Date.now()) / (365 * 24 * 3600 * 1000);
    expect(caYears).toBeGreaterThan(9.9);

    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(admin.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(admin.subject.split('\n').sort()).toEqual(['CN=kubedesk-user', 'O=system:masters']);

    // Each certificate matches its private key.
    expect(server.checkPrivateKey(createPrivateKey(pki.serverKeyPem))).toBe(true);
    expect(admin.checkPrivateKey(createPrivateKey(pki.adminKeyPem))).toBe(true);
  });

  it('puts every name the API server is reached by into the serving certificate', async () => {
    const pki = await ensureProfilePki(dir);
    const server = new X509Certificate(pki.serverCertPem);
    for (const name of [
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      'host.docker.internal',
    ]) {
      expect(server.checkHost(name), name).toBe(name);
    }
    for (const ip of ['127.0.0.1', '::1', '10.96.0.1']) {
      expect(server.checkIP(ip), ip).toBe(ip);
    }
  });

  it('writes private keys 0600 and reports the file paths kubeconfigs point at', async () => {
    const pki = await ensureProfilePki(dir);
    for (const key of ['ca.key', 'apiserver.key', 'admin.key', 'sa.key']) {
      const mode = (await stat(join(dir, 'pki', key))).mode & 0o777;
      expect(mode, key).toBe(0o600);
    }
    expect(await readFile(pki.files.caCert, 'utf8')).toBe(pki.caCertPem);
    expect(await readFile(pki.files.adminCert, 'utf8')).toBe(pki.adminCertPem);
    expect(await readFile(pki.files.adminKey, 'utf8')).toBe(pki.adminKeyPem);
  });

  it('reloads the same material on later calls', async () => {
    const first = await ensureProfilePki(dir);
    const second = await ensureProfilePki(dir);
    expect(second).toEqual(first);
  });

  it('ends concurrent first calls with one consistent PKI', async () => {
    const results = await Promise.all([ensureProfilePki(dir), ensureProfilePki(dir), ensureProfilePki(dir)]);
    const onDisk = await ensureProfilePki(dir);
    for (const pki of results) expect(pki.caCertPem).toBe(onDisk.caCertPem);
    const server = new X509Certificate(onDisk.serverCertPem);
    expect(server.checkIssued(new X509Certificate(onDisk.caCertPem))).toBe(true);
  });

  it('re-issues a missing or foreign leaf from the existing CA', async () => {
    const first = await ensureProfilePki(dir);
    await unlink(join(dir, 'pki', 'admin.crt'));
    const other = await ensureProfilePki(join(dir, 'other'));
    await writeFile(join(dir, 'pki', 'apiserver.crt'), other.serverCertPem);

    const repaired = await ensureProfilePki(dir);
    expect(repaired.caCertPem).toBe(first.caCertPem);
    const ca = new X509Certificate(repaired.caCertPem);
    expect(new X509Certificate(repaired.adminCertPem).checkIssued(ca)).toBe(true);
    expect(new X509Certificate(repaired.serverCertPem).checkIssued(ca)).toBe(true);
    expect(
      new X509Certificate(repaired.serverCertPem).checkPrivateKey(createPrivateKey(repaired.serverKeyPem)),
    ).toBe(true);
  });

  it('re-issues a leaf whose key no longer matches it', async () => {
    await ensureProfilePki(dir);
    const other = await ensureProfilePki(join(dir, 'other'));
    await writeFile(join(dir, 'pki', 'admin.key'), other.adminKeyPem);
    const repaired = await ensureProfilePki(dir);
    const admin = new X509Certificate(repaired.adminCertPem);
    expect(admin.checkPrivateKey(createPrivateKey(repaired.adminKeyPem))).toBe(true);
    expect(admin.checkIssued(new X509Certificate(repaired.caCertPem))).toBe(true);
  });

  it('creates a service-account key pair that signs and verifies RS256', async () => {
    const pki = await ensureProfilePki(dir);
    const privateKey = createPrivateKey(pki.serviceAccountPrivateKeyPem);
    expect(privateKey.asymmetricKeyType).toBe('rsa');
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const data = Buffer.from('header.payload');
    const signature = sign('sha256', data, privateKey);
    expect(verify('sha256', data, createPublicKey(pki.serviceAccountPublicKeyPem), signature)).toBe(true);
  });

  it('is fast: creation well under a second, reload in milliseconds', async () => {
    let started = performance.now();
    await ensureProfilePki(dir);
    const created = performance.now() - started;
    started = performance.now();
    await ensureProfilePki(dir);
    const reloaded = performance.now() - started;
    expect(created).toBeLessThan(1500);
    expect(reloaded).toBeLessThan(100);
  });
});

describe('issueClientCertificate', () => {
  it('issues a client certificate with the given identity, signed by the CA', async () => {
    const pki = await ensureProfilePki(dir);
    const issued = await issueClientCertificate(pki, 'system:kubedesk-agent', ['system:nodes', 'team-a']);
    const cert = new X509Certificate(issued.certPem);
    const ca = new X509Certificate(pki.caCertPem);
    expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(issued.keyPem))).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.subject.split('\n').sort()).toEqual([
      'CN=system:kubedesk-agent',
      'O=system:nodes',
      'O=team-a',
    ]);
  });

  it('completes a mutual TLS handshake against the serving certificate', async () => {
    const pki = await ensureProfilePki(dir);
    const client = await issueClientCertificate(pki, 'someone', ['devs']);
    const server = createServer(
      { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem, requestCert: true },
      (req, res) => {
        const socket = req.socket as TLSSocket;
        res.end(socket.authorized ? socket.getPeerCertificate().subject.CN : 'unauthorized');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      for (const [cert, key, expected] of [
        [client.certPem, client.keyPem, 'someone'],
        [pki.adminCertPem, pki.adminKeyPem, 'kubedesk-user'],
      ]) {
        const body = await new Promise<string>((resolve, reject) => {
          const req = request(
            { host: '127.0.0.1', port, path: '/', ca: pki.caCertPem, cert, key, servername: 'localhost' },
            (res) => {
              let text = '';
              res.on('data', (chunk: Buffer) => (text += chunk.toString()));
              res.on('end', () => resolve(text));
            },
          );
          req.on('error', reject);
          req.end();
        });
        expect(body).toBe(expected);
      }
    } finally {
      server.close();
    }
  });
});
