import { join } from 'node:path';

/** File names under `<profileDir>/pki/`. */
export const PKI_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'apiserver.crt',
  serverKey: 'apiserver.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
  serviceAccountKey: 'sa.key',
  serviceAccountPub: 'sa.pub',
} as const;

/** Paths of a profile's PKI files, whether or not they exist yet. */
export function pkiFilePaths(profileDir: string): Record<keyof typeof PKI_FILES, string> {
  const dir = join(profileDir, 'pki');
  const entries = Object.entries(PKI_FILES).map(([key, file]) => [key, join(dir, file)]);
  return Object.fromEntries(entries) as Record<keyof typeof PKI_FILES, string>;
}
