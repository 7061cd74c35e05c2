import type { ObjectApi } from '../apiserver/object-api';
import { readAddonStates } from './addon-state';
import { ADDONS } from './catalog';
import { objectApiClient } from './cluster-client';
import type { Addon } from './types';

export interface ApplyEnabledAddonsOptions {
  api: ObjectApi;
  profile: string;
  /** The profile's folder, where addons.json lives. */
  profileDir: string;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  /** The addons to consider; default every known addon. */
  addons?: readonly Addon[];
}

/**
 * Applies every addon the profile has enabled (addons.json) through the engine's ObjectApi, so
 * their objects exist and match this version's manifests after each start. One failing addon
 * is logged and does not stop the others or the start. Resolves with the names applied.
 */
export async function applyEnabledAddons(options: ApplyEnabledAddonsOptions): Promise<string[]> {
  const log = options.log ?? (() => undefined);
  const client = objectApiClient(options.api);
  let states;
  try {
    states = await readAddonStates(options.profileDir);
  } catch (error) {
    log(`addons: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
  const applied: string[] = [];
  for (const addon of options.addons ?? ADDONS) {
    const record = states[addon.name];
    if (!record?.enabled || !addon.available) continue;
    try {
      await addon.apply({
        client,
        profile: options.profile,
        env: options.env ?? process.env,
        settings: record.settings,
        log,
      });
      applied.push(addon.name);
      log(`addons: ${addon.name} applied`);
    } catch (error) {
      log(`addons: applying ${addon.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return applied;
}
