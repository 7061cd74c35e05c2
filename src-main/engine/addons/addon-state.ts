import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../profiles/atomic-file';
import { isPlainObject } from '../k8s-object';
import type { AddonSettings } from './types';

/** One addon's record in the profile. */
export interface AddonRecord {
  enabled: boolean;
  settings: AddonSettings;
}

/** Every addon the profile has a record of, by name. */
export type AddonStates = Record<string, AddonRecord>;

/** Where a profile keeps its addon state: `<profileDir>/addons.json`, beside config.json. */
export function addonStatePath(profileDir: string): string {
  return join(profileDir, 'addons.json');
}

/** The profile's addon records; none when the file is missing. Unreadable entries are skipped. */
export async function readAddonStates(profileDir: string): Promise<AddonStates> {
  let text: string;
  try {
    text = await readFile(addonStatePath(profileDir), 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${addonStatePath(profileDir)} is not valid JSON: fix or delete it`);
  }
  const states: AddonStates = {};
  if (!isPlainObject(parsed)) return states;
  for (const [name, value] of Object.entries(parsed)) {
    if (!isPlainObject(value) || typeof value.enabled !== 'boolean') continue;
    const settings: AddonSettings = {};
    if (isPlainObject(value.settings)) {
      for (const [key, setting] of Object.entries(value.settings)) {
        if (typeof setting === 'string' || typeof setting === 'number' || typeof setting === 'boolean') {
          settings[key] = setting;
        }
      }
    }
    states[name] = { enabled: value.enabled, settings };
  }
  return states;
}

/** Replaces one addon's record (atomically, keeping the others). */
export async function writeAddonRecord(profileDir: string, name: string, record: AddonRecord): Promise<void> {
  const states = await readAddonStates(profileDir);
  states[name] = record;
  await writeFileAtomic(addonStatePath(profileDir), `${JSON.stringify(states, null, 2)}\n`, 0o644);
}
