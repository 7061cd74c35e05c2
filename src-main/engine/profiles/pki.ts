// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import {
  X509Certificate as NodeX509Certificate,
  createPrivateKey,
  generateKeyPair,
  randomBytes,
  webcrypto,
} from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as x509 from '@peculiar/x509';
import { writeFileAtomic } from './atomic-file';
import { PKI_FILES as FILES } from './pki-files';
import type { ProfilePki } from './types';

// @peculiar/x509 signs through WebCrypto; Node's implementation is the one to use outside a browser.
const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const generateKeyPairAsync = promisify(generateKeyPair);

export const CA_COMMON_NAME = 'kubedesk-ca';
export const ADMIN_COMMON_NAME = 'kubedesk-user';
export const ADMIN_GROUPS = ['system:masters'];
export const APISERVER_COMMON_NAME = 'kube-apiserver';

/** Names the API server answers to, from the host, from pods (ClusterIP 10.96.0.1) and from Docker. */
export const APISERVER_DNS_NAMES = [
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
  'host.docker.internal',
];
export const APISERVER_IPS = ['127.0.0.1', '::1', '10.96.0.1'];

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_VALIDITY_DAYS = 3650;
const LEAF_VALIDITY_DAYS = 3 * 365;
/** Leaf certificates closer than this to expiry are re-issued on load. */
const RENEW_BEFORE_DAYS = 30;
/** Tolerates a little clock skew between the host and containers that check our certs. */
const BACKDATE_MS = 60 * 60 * 1000;

// ECDSA P-256 keys: generated in microseconds (the start path stays fast) and accepted by Go's
// crypto/tls (kubectl), Node's TLS and every browser.
const EC_KEY_ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const EC_SIGNING_ALGORITHM: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

/** The subject of a leaf certificate: common name plus organizations (Kubernetes reads O as groups). */
interface LeafSubject {
  commonName: string;
  organizations?: string[];
  /** IP SANs beyond APISERVER_IPS (serving certificates only). */
  extraIps?: string[];
}

interface CaMaterial {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/** Imported CA keys, per CA PEM, so repeated `issueClientCertificate` calls skip the import. */
const caCache = new Map<string, Promise<CaMaterial>>();

/**
 * Returns the PKI of the profile in `profileDir`, creating it on first use under `<profileDir>/pki/`:
 * a CA (`kubedesk-ca`, 10 years), the API server's serving certificate (SANs for the host,
 * pods and Docker; EKU serverAuth), the admin client certificate (CN `kubedesk-user`,
 * O `system:masters`; EKU clientAuth) and the RSA 2048 key pair that signs service-account
 * tokens (RS256). Later calls reload the same files; a missing or nearly expired leaf is re-issued
 * from the existing CA, so kubeconfigs that trust the CA stay valid. Private keys are written 0600.
 * Concurrent first calls for one profile end with one consistent set of files.
 */
export async function ensureProfilePki(profileDir: string): Promise<ProfilePki> {
  const dir = join(profileDir, 'pki');
  if (!(await exists(join(dir, FILES.caCert))) || !(await exists(join(dir, FILES.caKey)))) {
    await createFreshPki(profileDir, dir);
  }
  return loadAndRepair(dir);
}

/**
 * Makes sure the API server's serving certificate names `ips` too (e.g. the `kubernetes`
 * Service's ClusterIP and the Docker network gateway, which in-cluster clients dial by
 * address). Re-issues it from the same CA when one is missing, and answers the PKI to serve
 * with; kubeconfigs stay valid because they trust the CA, not the leaf.
 */
export async function ensureServingCertificate(
  profileDir: string,
  pki: ProfilePki,
  ips: string[],
): Promise<ProfilePki> {
  const current = new x509.X509Certificate(pki.serverCertPem);
  const san = current.getExtension(x509.SubjectAlternativeNameExtension);
  const present = new Set((san?.names.items ?? []).filter((n) => n.type === 'ip').map((n) => n.value));
  if (ips.every((ip) => present.has(ip))) return pki;
  const extraIps = [...new Set([...present, ...ips])].filter((ip) => !APISERVER_IPS.includes(ip));
  const ca = await importCa(pki.caCertPem, pki.caKeyPem);
  const issued = await issueLeaf(ca, { commonName: APISERVER_COMMON_NAME, extraIps }, 'server');
  const dir = join(profileDir, 'pki');
  await writeFileAtomic(join(dir, FILES.serverKey), issued.keyPem, 0o600);
  await writeFileAtomic(join(dir, FILES.serverCert), issued.certPem, 0o644);
  return { ...pki, serverCertPem: issued.certPem, serverKeyPem: issued.keyPem };
}

/**
 * Issues a new client certificate signed by the profile's CA (EKU clientAuth, 3 years), for
 * components that need their own identity towards the API server. `groups` become the subject's
 * organizations, which Kubernetes authentication reads as group names. Nothing is written to disk.
 */
export async function issueClientCertificate(
  pki: ProfilePki,
  commonName: string,
  groups: string[],
): Promise<{ certPem: string; keyPem: string }> {
  const ca = await importCa(pki.caCertPem, pki.caKeyPem);
  const issued = await issueLeaf(ca, { commonName, organizations: groups }, 'client');
  return { certPem: issued.certPem, keyPem: issued.keyPem };
}

async function createFreshPki(profileDir: string, dir: string): Promise<void> {
  await mkdir(profileDir, { recursive: true });
  // Built in a private folder and renamed into place, so a concurrent caller never sees half a PKI.
  const staging = join(profileDir, `.pki-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    const [ca, serviceAccount] = await Promise.all([createCa(), createServiceAccountKeys()]);
    const [server, admin] = await Promise.all([
      issueLeaf(ca.material, { commonName: APISERVER_COMMON_NAME }, 'server'),
      issueLeaf(ca.material, { commonName: ADMIN_COMMON_NAME, organizations: ADMIN_GROUPS }, 'client'),
    ]);
    await Promise.all([
      writeFileAtomic(join(staging, FILES.caCert), ca.certPem, 0o644),
      writeFileAtomic(join(staging, FILES.caKey), ca.keyPem, 0o600),
      writeFileAtomic(join(staging, FILES.serverCert), server.certPem, 0o644),
      writeFileAtomic(join(staging, FILES.serverKey), server.keyPem, 0o600),
      writeFileAtomic(join(staging, FILES.adminCert), admin.certPem, 0o644),
      writeFileAtomic(join(staging, FILES.adminKey), admin.keyPem, 0o600),
      writeFileAtomic(join(staging, FILES.serviceAccountKey), serviceAccount.privateKeyPem, 0o600),
      writeFileAtomic(join(staging, FILES.serviceAccountPub), serviceAccount.publicKeyPem, 0o644),
    ]);
    // A leftover folder without a CA (an interrupted older run) is replaced; one with a CA wins.
    if ((await exists(dir)) && !(await exists(join(dir, FILES.caCert)))) {
      await rm(dir, { recursive: true, force: true });
    }
    try {
      await rename(staging, dir);
    } catch (err) {
      if (!isCode(err, 'ENOTEMPTY') && !isCode(err, 'EEXIST')) throw err;
      // Another process finished first: keep its PKI.
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function loadAndRepair(dir: string): Promise<ProfilePki> {
  const caCertPem = await readFile(join(dir, FILES.caCert), 'utf8');
  const caKeyPem = await readFile(join(dir, FILES.caKey), 'utf8');

  const [server, admin, serviceAccount] = await Promise.all([
    loadOrIssueLeaf(dir, FILES.serverCert, FILES.serverKey, caCertPem, () =>
      importCa(caCertPem, caKeyPem).then((ca) =>
        issueLeaf(ca, { commonName: APISERVER_COMMON_NAME }, 'server'),
      ),
    ),
    loadOrIssueLeaf(dir, FILES.adminCert, FILES.adminKey, caCertPem, () =>
      importCa(caCertPem, caKeyPem).then((ca) =>
        issueLeaf(ca, { commonName: ADMIN_COMMON_NAME, organizations: ADMIN_GROUPS }, 'client'),
      ),
    ),
    loadOrCreateServiceAccountKeys(dir),
  ]);

  return {
    caCertPem,
    caKeyPem,
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
    adminCertPem: admin.certPem,
    adminKeyPem: admin.keyPem,
    serviceAccountPrivateKeyPem: serviceAccount.privateKeyPem,
    serviceAccountPublicKeyPem: serviceAccount.publicKeyPem,
    files: {
      caCert: join(dir, FILES.caCert),
      adminCert: join(dir, FILES.adminCert),
      adminKey: join(dir, FILES.adminKey),
    },
  };
}

async function loadOrIssueLeaf(
  dir: string,
  certFile: string,
  keyFile: string,
  caCertPem: string,
  issue: () => Promise<{ certPem: string; keyPem: string }>,
): Promise<{ certPem: string; keyPem: string }> {
  const certPem = await readIfExists(join(dir, certFile));
  const keyPem = await readIfExists(join(dir, keyFile));
  if (certPem && keyPem && isUsableLeaf(certPem, keyPem, caCertPem)) return { certPem, keyPem };
  const issued = await issue();
  // Key first: a reader that sees the new certificate must also find its key.
  await writeFileAtomic(join(dir, keyFile), issued.keyPem, 0o600);
  await writeFileAtomic(join(dir, certFile), issued.certPem, 0o644);
  return issued;
}

/** A leaf is kept when it was issued by this CA, matches its key and is not about to expire. */
function isUsableLeaf(certPem: string, keyPem: string, caCertPem: string): boolean {
  try {
    const cert = new NodeX509Certificate(certPem);
    const ca = new NodeX509Certificate(caCertPem);
    const renewAt = Date.now() + RENEW_BEFORE_DAYS * DAY_MS;
    return (
      cert.checkIssued(ca) &&
      cert.checkPrivateKey(createPrivateKey(keyPem)) &&
      new Date(cert.validTo).getTime() > renewAt
    );
  } catch {
    return false;
  }
}

async function loadOrCreateServiceAccountKeys(
  dir: string,
): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const privateKeyPem = await readIfExists(join(dir, FILES.serviceAccountKey));
  const publicKeyPem = await readIfExists(join(dir, FILES.serviceAccountPub));
  if (privateKeyPem && publicKeyPem) return { privateKeyPem, publicKeyPem };
  const created = await createServiceAccountKeys();
  await writeFileAtomic(join(dir, FILES.serviceAccountKey), created.privateKeyPem, 0o600);
  await writeFileAtomic(join(dir, FILES.serviceAccountPub), created.publicKeyPem, 0o644);
  return created;
}

/** RSA because RS256 is the one algorithm every JWT and OIDC verifier must support. */
async function createServiceAccountKeys(): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

async function createCa(): Promise<{ material: CaMaterial; certPem: string; keyPem: string }> {
  const keys = await crypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [CA_COMMON_NAME] }],
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + CA_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: EC_SIGNING_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { material: { cert, keys }, certPem: cert.toString('pem'), keyPem: await exportPrivateKey(keys) };
}

async function issueLeaf(
  ca: CaMaterial,
  subject: LeafSubject,
  usage: 'server' | 'client',
): Promise<{ certPem: string; keyPem: string }> {
  const keys = await crypto.subtle.generateKey(EC_KEY_ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  // One RDN per attribute, organizations first, as Go's pkix and openssl print them.
  const name: x509.JsonName = [
    ...(subject.organizations ?? []).map((o) => ({ O: [o] })),
    { CN: [subject.commonName] },
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    // ECDSA keys only sign (ECDHE), so keyEncipherment would be meaningless here.
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(
      [usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth],
      false,
    ),
    await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
  ];
  if (usage === 'server') {
    extensions.push(
      new x509.SubjectAlternativeNameExtension([
        ...APISERVER_DNS_NAMES.map((value) => ({ type: 'dns' as const, value })),
        ...[...APISERVER_IPS, ...(subject.extraIps ?? [])].map((value) => ({ type: 'ip' as const, value })),
      ]),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: name,
    issuer: ca.cert.subjectName,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + LEAF_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: EC_SIGNING_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await exportPrivateKey(keys) };
}

function importCa(caCertPem: string, caKeyPem: string): Promise<CaMaterial> {
  const cacheKey = caCertPem;
  let pending = caCache.get(cacheKey);
  if (!pending) {
    pending = (async () => {
      const cert = new x509.X509Certificate(caCertPem);
      const der = x509.PemConverter.decodeFirst(caKeyPem);
      const privateKey = await crypto.subtle.importKey('pkcs8', der, EC_KEY_ALGORITHM, true, ['sign']);
      const publicKey = await cert.publicKey.export(EC_KEY_ALGORITHM, ['verify']);
      return { cert, keys: { privateKey, publicKey } };
    })();
    pending.catch(() => caCache.delete(cacheKey));
    caCache.set(cacheKey, pending);
  }
  return pending;
}

async function exportPrivateKey(keys: CryptoKeyPair): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** 128 random bits with the top bit clear: unique and positive, as RFC 5280 requires. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (isCode(err, 'ENOENT')) return false;
    throw err;
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (isCode(err, 'ENOENT')) return undefined;
    throw err;
  }
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
