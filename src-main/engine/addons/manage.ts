import { readAddonStates, writeAddonRecord } from './addon-state';
import { ADDONS, findAddon } from './catalog';
import type { ClusterClient } from './cluster-client';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Addon, AddonSettings } from './types';

/** A failure told as cause and fix, for the CLI line and the dashboard alike. */
export class AddonError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'AddonError';
  }
}

/** What `addons list` shows for one addon (also its JSON form). */
export interface AddonView {
  name: string;
  description: string;
  /** `unavailable`: listed, not in this version yet. */
  state: 'enabled' | 'disabled' | 'unavailable';
  /** Where users reach it, when enabled (the registry: `localhost:<port>`). */
  address?: string;
  /** Whether it answers now; only for enabled addons listed with `probe` (a running cluster). */
  serving?: boolean;
}

/** The profile an addon operation acts on. */
export interface AddonTarget {
  profile: string;
  /** The profile's folder, where addons.json lives. */
  profileDir: string;
  /** A client of the running cluster; absent when the profile is stopped (the next start applies). */
  client?: ClusterClient;
  env?: NodeJS.ProcessEnv;
}

/**
 * Every addon with its state in the profile, by name. With `probe` (pass it while the cluster
 * runs) enabled addons that can tell also say whether they answer now.
 */
export async function listAddons(
  profileDir: string,
  options: { probe?: boolean; addons?: readonly Addon[] } = {},
): Promise<AddonView[]> {
  const states = await readAddonStates(profileDir);
  return Promise.all(
    (options.addons ?? ADDONS).map(async (addon): Promise<AddonView> => {
      const record = states[addon.name];
      const enabled = addon.available && record?.enabled === true;
      const address = enabled ? addon.address?.(record.settings) : undefined;
      const serving =
        enabled && options.probe && addon.isServing ? await addon.isServing(record.settings) : undefined;
      return {
        name: addon.name,
        description: addon.description,
        state: !addon.available ? 'unavailable' : enabled ? 'enabled' : 'disabled',
        ...(address ? { address } : {}),
        ...(serving !== undefined ? { serving } : {}),
      };
    }),
  );
}

/** The outcome of enable or disable. */
export interface AddonChange {
  view: AddonView;
  /** True when the running cluster was changed now; false when the next start applies it. */
  appliedNow: boolean;
  /** Said after the change (e.g. what disable kept). */
  note?: string;
}

/**
 * Enables `name` in the profile (kept in addons.json, applied by the engine at every start) and,
 * when the cluster runs, applies it now and waits up to `waitMs` until it serves. Enabling an
 * enabled addon re-applies it. Throws AddonError for unknown or unavailable addons and for an
 * addon that does not come up in time (it stays enabled).
 */
export async function enableAddon(
  name: string,
  target: AddonTarget,
  options: { waitMs?: number; addons?: readonly Addon[] } = {},
): Promise<AddonChange> {
  const addon = requireAddon(name, options.addons);
  if (!addon.available) {
    throw new AddonError(
      `The ${name} addon is not available in this version.`,
      'See "kubedesk addons list" for the addons you can enable.',
    );
  }
  const previous = (await readAddonStates(target.profileDir))[name];
  const wasEnabled = previous?.enabled === true;
  const settings = addon.prepare
    ? await addon.prepare(previous?.settings ?? {}, {
        wasEnabled,
        otherProfiles: await enabledElsewhere(target.profileDir, name),
      })
    : (previous?.settings ?? {});
  await writeAddonRecord(target.profileDir, name, { enabled: true, settings });
  let appliedNow = false;
  if (target.client) {
    const context = {
      client: target.client,
      profile: target.profile,
      env: target.env ?? process.env,
      settings,
    };
    await addon.apply(context);
    appliedNow = true;
    if (addon.waitUntilReady && options.waitMs !== 0) {
      try {
        await addon.waitUntilReady(context, options.waitMs ?? 120_000);
      } catch (error) {
        throw new AddonError(
          `The ${name} addon is enabled but not serving yet: ${error instanceof Error ? error.message : String(error)}.`,
          `See "kubectl -n kube-system get pods,events -l kubedesk.io/addon=${name}".`,
        );
      }
    }
  }
  const view = (await listAddons(target.profileDir, { addons: options.addons })).find(
    (entry) => entry.name === name,
  );
  return { view: view ?? { name, description: addon.description, state: 'enabled' }, appliedNow };
}

/**
 * Disables `name` in the profile and, when the cluster runs, removes its objects now (what the
 * addon keeps, such as stored data, is said in `note`). Disabling a disabled addon is fine.
 */
export async function disableAddon(
  name: string,
  target: AddonTarget,
  options: { addons?: readonly Addon[] } = {},
): Promise<AddonChange> {
  const addon = requireAddon(name, options.addons);
  const previous = (await readAddonStates(target.profileDir))[name];
  await writeAddonRecord(target.profileDir, name, { enabled: false, settings: previous?.settings ?? {} });
  let appliedNow = false;
  if (target.client && addon.available) {
    await addon.remove({
      client: target.client,
      profile: target.profile,
      env: target.env ?? process.env,
      settings: previous?.settings ?? {},
    });
    appliedNow = true;
  }
  const view = (await listAddons(target.profileDir, { addons: options.addons })).find(
    (entry) => entry.name === name,
  );
  return {
    view: view ?? { name, description: addon.description, state: 'disabled' },
    appliedNow,
    ...(addon.removeNote && previous?.enabled ? { note: addon.removeNote } : {}),
  };
}

function requireAddon(name: string, addons: readonly Addon[] = ADDONS): Addon {
  const addon = findAddon(name, addons);
  if (!addon) {
    throw new AddonError(
      `No addon named "${name}".`,
      `Choose one of: ${addons.map((entry) => entry.name).join(', ')} (see "kubedesk addons list").`,
    );
  }
  return addon;
}

/** The addon's settings in sibling profiles (same home) that have it enabled. */
async function enabledElsewhere(profileDir: string, name: string): Promise<AddonSettings[]> {
  const root = dirname(profileDir);
  let siblings: string[];
  try {
    siblings = await readdir(root);
  } catch {
    return [];
  }
  const found: AddonSettings[] = [];
  for (const sibling of siblings) {
    const dir = join(root, sibling);
    if (dir === profileDir) continue;
    const record = await readAddonStates(dir)
      .then((states) => states[name])
      .catch(() => undefined);
    if (record?.enabled) found.push(record.settings);
  }
  return found;
}
