/**
 * Addons: named sets of cluster objects kept in a profile's addons.json and applied by the
 * engine at every start (`applyEnabledAddons`), and at once on a running cluster through its
 * API server as the admin (`enableAddon`/`disableAddon` with an `httpClusterClient`).
 */
export { applyEnabledAddons } from './apply-enabled';
export type { ApplyEnabledAddonsOptions } from './apply-enabled';
export { ADDONS, findAddon } from './catalog';
export type { ClusterClient } from './cluster-client';
export { ensureObject, objectApiClient } from './cluster-client';
export { httpClusterClient } from './http-client';
export { addonTargetFor } from './profile-target';
export { AddonError, disableAddon, enableAddon, listAddons } from './manage';
export type { AddonChange, AddonTarget, AddonView } from './manage';
export type { Addon, AddonContext, AddonSettings } from './types';
export { addonStatePath, readAddonStates } from './addon-state';
