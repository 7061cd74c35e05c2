/** Entry point of the `kubedesk` command (run by bin/kubedesk.mjs). */
import { processIo } from './io';
import { runCli } from './program';

process.exitCode = await runCli(process.argv.slice(2), processIo());
