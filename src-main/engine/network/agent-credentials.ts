import { X509Certificate, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../profiles/atomic-file';
import { issueClientCertificate } from '../profiles/pki';
import type { ProfilePki } from '../profiles/types';

/** The identity kube-proxy has in Kubernetes; RBAC's system:node-proxier binding names it. */
export const AGENT_USER = 'system:kube-proxy';

export interface AgentCredentials {
  certPem: string;
  keyPem: string;
  /** Shared secret of the host tunnel. */
  tunnelToken: string;
}

const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The agent's client certificate (signed by the profile CA) and tunnel token, kept in
 * `<profileDir>/network/` so that an engine restart finds the running agent's configuration
 * unchanged and keeps it (no DNS or ClusterIP outage). Re-issued when missing, issued by
 * another CA, or close to expiry.
 */
export async function ensureAgentCredentials(profileDir: string, pki: ProfilePki): Promise<AgentCredentials> {
  const dir = join(profileDir, 'network');
  const [certPem, keyPem, token] = await Promise.all(
    ['agent.crt', 'agent.key', 'tunnel-token'].map((f) => readFile(join(dir, f), 'utf8').catch(() => '')),
  );
  let credentials: AgentCredentials | undefined;
  if (certPem && keyPem && token && usable(certPem, pki.caCertPem)) {
    credentials = { certPem, keyPem, tunnelToken: token.trim() };
  }
  if (!credentials) {
    const issued = await issueClientCertificate(pki, AGENT_USER, []);
    credentials = { ...issued, tunnelToken: token.trim() || randomBytes(24).toString('hex') };
    await writeFileAtomic(join(dir, 'agent.key'), credentials.keyPem, 0o600);
    await writeFileAtomic(join(dir, 'agent.crt'), credentials.certPem, 0o644);
    await writeFileAtomic(join(dir, 'tunnel-token'), `${credentials.tunnelToken}\n`, 0o600);
  }
  return credentials;
}

function usable(certPem: string, caPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    return (
      cert.checkIssued(new X509Certificate(caPem)) &&
      new Date(cert.validTo).getTime() > Date.now() + RENEW_BEFORE_MS
    );
  } catch {
    return false;
  }
}
