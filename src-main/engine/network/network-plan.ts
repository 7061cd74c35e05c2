import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { writeFileAtomic } from '../profiles/atomic-file';
import { LABELS } from '../runtime/types';
import { describeOtherOwner, otherOwner, ownerLabels } from './network-owner';
import { dockerStatusCode } from '../runtime/docker/docker-errors';

/**
 * The address layout of one profile's bridge network, a /16 of 10.0.0.0/8:
 *
 *   10.N.0.1          gateway (the host side of the bridge)
 *   10.N.0.2          the network agent (fixed, outside Docker's range)
 *   10.N.64.0/18      the Service CIDR: ClusterIPs the agent carries on its interface
 *   10.N.128.0/17     Docker's range for containers (pod IPs)
 *
 * ClusterIPs live inside the bridge subnet so that pods reach them on-link (the agent answers
 * ARP for them) with no route, capability or helper container per pod.
 */
export interface NetworkPlan {
  /** Docker network name: `kubedesk-<profile>`. */
  name: string;
  subnet: string;
  gateway: string;
  agentIp: string;
  serviceCidr: string;
  /** The `kubernetes` Service's ClusterIP: the first address of the Service CIDR. */
  kubernetesServiceIp: string;
  ipRange: string;
}

const FIRST_OCTET = 200;
const LAST_OCTET = 254;
const PLAN_FILE = 'network.json';

/** The profile's Docker bridge network name. */
export function profileNetworkName(profile: string): string {
  return `kubedesk-${profile}`;
}

/** The layout for the second octet `n` (10.n.0.0/16). */
export function planFor(profile: string, n: number): NetworkPlan {
  return {
    name: profileNetworkName(profile),
    subnet: `10.${n}.0.0/16`,
    gateway: `10.${n}.0.1`,
    agentIp: `10.${n}.0.2`,
    serviceCidr: `10.${n}.64.0/18`,
    kubernetesServiceIp: `10.${n}.64.1`,
    ipRange: `10.${n}.128.0/17`,
  };
}

function secondOctet(subnet: string): number | undefined {
  const match = /^10\.(\d+)\.0\.0\/16$/.exec(subnet);
  return match ? Number(match[1]) : undefined;
}

/** IPv4 a.b.c.d/len → [first, last] as numbers. */
function cidrRange(cidr: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!match) return undefined;
  const base = match.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(match[5]));
  const first = base - (base % size);
  return [first, first + size - 1];
}

function overlaps(a: string, b: string): boolean {
  const ra = cidrRange(a);
  const rb = cidrRange(b);
  return !!ra && !!rb && ra[0] <= rb[1] && rb[0] <= ra[1];
}

/** Subnets already in use: other Docker networks and the host's own interfaces. */
async function usedSubnets(docker: Docker, except: string): Promise<string[]> {
  const used: string[] = [];
  for (const network of await docker.listNetworks()) {
    if (network.Name === except) continue;
    for (const config of network.IPAM?.Config ?? []) if (config.Subnet) used.push(config.Subnet);
  }
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? [])
      if (address.family === 'IPv4' && address.cidr) used.push(address.cidr);
  }
  return used;
}

async function readSavedOctet(profileDir: string): Promise<number | undefined> {
  try {
    const saved = JSON.parse(await readFile(join(profileDir, PLAN_FILE), 'utf8')) as { subnet?: string };
    return saved.subnet ? secondOctet(saved.subnet) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure the profile's bridge network exists with our layout and answers the layout.
 * An existing network of the profile is kept (its subnet is reused); one made without the
 * layout and with no containers attached is re-created. A new network takes the subnet the
 * profile had before (saved in `<profileDir>/network.json`, so ClusterIPs stored in the
 * cluster stay valid) or the first free 10.N.0.0/16 with N in 200–254 that overlaps no other
 * Docker network or host interface — so two profiles never collide. A network another
 * Kubedesk home's profile of the same name owns is never touched (see `network-owner.ts`).
 */
export async function ensureProfileNetwork(
  docker: Docker,
  profile: string,
  profileDir: string,
): Promise<NetworkPlan> {
  const name = profileNetworkName(profile);
  const existing = await inspectNetwork(docker, name);
  if (existing) {
    const other = otherOwner(existing.Labels, profileDir);
    if (other) throw new Error(describeOtherOwner(profile, name, other));
    const config = existing.IPAM?.Config?.[0];
    const n = config?.Subnet ? secondOctet(config.Subnet) : undefined;
    if (n !== undefined && config?.IPRange === planFor(profile, n).ipRange) {
      const plan = planFor(profile, n);
      await writeFileAtomic(
        join(profileDir, PLAN_FILE),
        `${JSON.stringify({ subnet: plan.subnet })}\n`,
        0o644,
      );
      return plan;
    }
    if (Object.keys(existing.Containers ?? {}).length > 0) {
      throw new Error(
        `Docker network ${name} was created without Kubedesk's address layout and has containers attached; ` +
          `stop them (or run \`kubedesk delete -p ${profile}\`) and start again`,
      );
    }
    await docker.getNetwork(name).remove();
  }
  const saved = await readSavedOctet(profileDir);
  const candidates = [...(saved !== undefined ? [saved] : [])];
  for (let n = FIRST_OCTET; n <= LAST_OCTET; n++) if (n !== saved) candidates.push(n);
  const used = await usedSubnets(docker, name);
  for (const n of candidates) {
    const plan = planFor(profile, n);
    if (used.some((u) => overlaps(u, plan.subnet))) continue;
    try {
      await docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: { [LABELS.profile]: profile, ...ownerLabels(profileDir) },
        IPAM: {
          Driver: 'default',
          Config: [{ Subnet: plan.subnet, IPRange: plan.ipRange, Gateway: plan.gateway }],
        },
      });
    } catch (error) {
      // 409: another engine of this profile created it a moment ago; otherwise the pool was
      // taken concurrently (Docker answers 403/500 for overlaps): try the next candidate.
      if (dockerStatusCode(error) === 409) return ensureProfileNetwork(docker, profile, profileDir);
      if (/overlap/i.test(String(error))) continue;
      throw error;
    }
    await writeFileAtomic(join(profileDir, PLAN_FILE), `${JSON.stringify({ subnet: plan.subnet })}\n`, 0o644);
    return plan;
  }
  throw new Error(
    `no free subnet in 10.${FIRST_OCTET}.0.0 – 10.${LAST_OCTET}.0.0 for Docker network ${name}`,
  );
}

async function inspectNetwork(docker: Docker, name: string): Promise<Docker.NetworkInspectInfo | undefined> {
  try {
    return (await docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
  } catch (error) {
    if (dockerStatusCode(error) === 404) return undefined;
    throw error;
  }
}
