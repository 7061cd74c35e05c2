import { readFileSync, readdirSync } from 'node:fs';
import type Docker from 'dockerode';

/** Memory and CPU time of a process tree or a container at one instant. */
export interface Usage {
  /** Resident memory in bytes (containers: usage without reclaimable page cache, as `docker stats`). */
  memoryBytes: number;
  /** CPU time used so far, in ms. */
  cpuMs: number;
}

const TICKS_PER_SECOND = 100;

function processUsage(pid: number): Usage | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    // Fields after the command name (which may hold spaces) start at ")"; utime and stime are the 14th and 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { memoryBytes: rssKiB * 1024, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

/** RSS and CPU time of `pid` and all its descendants (Linux /proc); undefined when it is gone. */
export function processTreeUsage(pid: number): Usage | undefined {
  const own = processUsage(pid);
  if (!own) return undefined;
  for (const child of childrenOf(pid)) {
    const usage = processTreeUsage(child);
    if (usage) {
      own.memoryBytes += usage.memoryBytes;
      own.cpuMs += usage.cpuMs;
    }
  }
  return own;
}

interface DockerStats {
  memory_stats?: { usage?: number; stats?: Record<string, number> };
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
}

/** A container's memory (without inactive page cache) and CPU time, from the Docker stats API. */
export async function containerUsage(docker: Docker, id: string): Promise<Usage | undefined> {
  try {
    const stats = (await docker.getContainer(id).stats({ stream: false })) as unknown as DockerStats;
    const memory = stats.memory_stats ?? {};
    const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
    return {
      memoryBytes: Math.max(0, (memory.usage ?? 0) - inactive),
      cpuMs: (stats.cpu_stats?.cpu_usage?.total_usage ?? 0) / 1e6,
    };
  } catch {
    return undefined;
  }
}

/** MiB, for reports. */
export function mib(bytes: number): number {
  return bytes / 2 ** 20;
}
