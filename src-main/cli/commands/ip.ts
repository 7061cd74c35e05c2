import type { Command } from 'commander';
import { clusterHostIp } from '../../engine/network/service-urls';
import { requireProfileConfig } from '../../engine/profiles/profile-store';
import { commandContext } from '../context';
import type { CliIo } from '../io';

/**
 * `kubedesk ip`: the address NodePort and LoadBalancer Services answer on from this machine,
 * so `curl $(kubedesk ip):$NODE_PORT` works as in minikube tutorials.
 */
export function registerIp(program: Command, io: CliIo): void {
  program
    .command('ip')
    .description('Print the address NodePort and LoadBalancer Services answer on from this machine')
    .action(async (_options: unknown, command: Command) => {
      const { home, profile } = commandContext(io, command);
      await requireProfileConfig(profile, home);
      io.out(`${clusterHostIp()}\n`);
    });
}
