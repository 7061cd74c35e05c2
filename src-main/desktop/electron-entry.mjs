// Development entry of the desktop app: runs the TypeScript main process of the checkout through
// tsx, as bin/kubedesk.mjs does for the CLI.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./main.ts', import.meta.url).href);
