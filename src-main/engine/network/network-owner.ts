import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Which profile folder owns a profile's Docker network. Docker objects are named after the
 * profile only, so two Kubedesk homes (two KUBEDESK_HOME folders, or two users of one Docker
 * engine) with a profile of the same name would otherwise share — and delete — each other's
 * containers. The network carries its owner's folder; every other home leaves it alone.
 */
export const OWNER_LABELS = {
  /** A digest of the owning profile folder's absolute path (what is compared). */
  owner: 'io.kubedesk.owner',
  /** The owning profile folder itself, for messages. */
  profileDir: 'io.kubedesk.profile-dir',
} as const;

export function ownerLabels(profileDir: string): Record<string, string> {
  const dir = resolve(profileDir);
  return { [OWNER_LABELS.owner]: ownerId(dir), [OWNER_LABELS.profileDir]: dir };
}

function ownerId(dir: string): string {
  return createHash('sha256').update(dir).digest('hex').slice(0, 16);
}

/** Another owner of a network, or undefined when it is ours or carries no owner (older networks). */
export interface OtherOwner {
  profileDir: string;
  /** Whether that folder still exists (its home was not deleted). */
  exists: boolean;
}

export function otherOwner(
  labels: Record<string, string> | undefined,
  profileDir: string,
): OtherOwner | undefined {
  const owner = labels?.[OWNER_LABELS.owner];
  if (!owner || owner === ownerId(resolve(profileDir))) return undefined;
  const dir = labels?.[OWNER_LABELS.profileDir] ?? 'an unknown folder';
  return { profileDir: dir, exists: existsSync(dir) };
}

/** One line of cause and fix for a start whose profile name another home uses on this engine. */
export function describeOtherOwner(profile: string, network: string, other: OtherOwner): string {
  if (other.exists) {
    return (
      `Docker network ${network} belongs to profile "${profile}" of another Kubedesk home (${other.profileDir}); ` +
      `use another profile name (kubedesk start -p NAME), or delete that profile from its own home first`
    );
  }
  return (
    `Docker network ${network} was left by profile "${profile}" of a Kubedesk home that no longer exists ` +
    `(${other.profileDir}); remove its containers and network ` +
    `(docker rm -f $(docker ps -aq --filter label=io.kubedesk.profile=${profile}); docker network rm ${network}) ` +
    `and start again`
  );
}
