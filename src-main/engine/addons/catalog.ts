import { ingressAddon } from '../network/ingress/ingress-addon';
import { registryAddon } from './registry/registry-addon';
import type { Addon } from './types';

/** Listed so users see what is coming; enabling says it is not available yet. */
export function plannedAddon(name: string, description: string): Addon {
  return {
    name,
    description,
    available: false,
    apply: async () => {
      throw new Error(`the ${name} addon is not available in this version`);
    },
    remove: async () => undefined,
  };
}

/**
 * Every addon, by name order. New addons are one file under `addons/<name>/` and one entry
 * here; replace a planned entry by its implementation under the same name.
 */
export const ADDONS: readonly Addon[] = [
  ingressAddon,
  plannedAddon('metrics-server', 'Resource metrics for "kubectl top" and autoscaling'),
  registryAddon,
];

/** The addon named `name`, or undefined. */
export function findAddon(name: string, addons: readonly Addon[] = ADDONS): Addon | undefined {
  return addons.find((addon) => addon.name === name);
}
