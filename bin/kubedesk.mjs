#!/usr/bin/env node
// The `kubedesk` command. Runs the TypeScript sources of the checkout through tsx, so
// `npx kubedesk` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src-main/cli/main.ts', import.meta.url).href);
