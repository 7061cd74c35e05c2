import { readFile } from 'node:fs/promises';
import { kubedeskHome, profilePaths } from '../profiles/paths';
import { pkiFilePaths } from '../profiles/pki-files';
import { readProfileStatus, requireProfileConfig } from '../profiles/profile-store';
import { httpClusterClient } from './http-client';
import { AddonError } from './manage';
import type { AddonTarget } from './manage';

/**
 * The addon target of profile `name` for any front end (CLI, dashboard): its folder, and while
 * its engine runs, an admin client of its API server (client certificate from the profile's
 * PKI). Throws ProfileError for a missing profile and AddonError while it is starting.
 */
export async function addonTargetFor(
  name: string,
  home: string = kubedeskHome(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<AddonTarget> {
  await requireProfileConfig(name, home);
  const profileDir = profilePaths(name, home).dir;
  const status = await readProfileStatus(name, home);
  if (status.state === 'Starting') {
    throw new AddonError(
      `Profile "${name}" is starting.`,
      `Wait for "kubedesk start -p ${name}" to finish and try again.`,
    );
  }
  if (status.state !== 'Running' || !status.engine) return { profile: name, profileDir, env };
  const files = pkiFilePaths(profileDir);
  let pem: [string, string, string];
  try {
    pem = await Promise.all([
      readFile(files.caCert, 'utf8'),
      readFile(files.adminCert, 'utf8'),
      readFile(files.adminKey, 'utf8'),
    ]);
  } catch {
    throw new AddonError(
      `The admin credentials of profile "${name}" are missing.`,
      `Restart it with "kubedesk stop -p ${name} && kubedesk start -p ${name}".`,
    );
  }
  const [caCertPem, clientCertPem, clientKeyPem] = pem;
  const client = httpClusterClient({
    port: status.engine.apiServerPort,
    caCertPem,
    clientCertPem,
    clientKeyPem,
  });
  return { profile: name, profileDir, env, client };
}
