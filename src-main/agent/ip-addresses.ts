import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Keeps the /32 addresses on one interface equal to a desired set (the ClusterIPs). Other
 * containers on the bridge reach such addresses because the kernel answers ARP for every
 * address of the interface. The interface's own address (a wider prefix) is never touched.
 */
export class InterfaceAddresses {
  private current: Set<string> | undefined;

  constructor(
    private readonly device: string,
    private readonly log: (message: string) => void,
  ) {}

  async sync(desired: Set<string>): Promise<void> {
    const current = this.current ?? (await this.read());
    this.current = current;
    for (const ip of desired) {
      if (current.has(ip)) continue;
      try {
        await run('ip', ['addr', 'add', `${ip}/32`, 'dev', this.device]);
      } catch (error) {
        if (!String(error).includes('File exists')) {
          this.log(`ip addr add ${ip}: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
      }
      current.add(ip);
    }
    for (const ip of [...current]) {
      if (desired.has(ip)) continue;
      await run('ip', ['addr', 'del', `${ip}/32`, 'dev', this.device]).catch(() => undefined);
      current.delete(ip);
    }
  }

  private async read(): Promise<Set<string>> {
    const { stdout } = await run('ip', ['-o', '-4', 'addr', 'show', 'dev', this.device]);
    const found = new Set<string>();
    for (const match of stdout.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\/32/g)) found.add(match[1]);
    return found;
  }
}
