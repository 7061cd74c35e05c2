import type { ClusterClient } from './cluster-client';

/** Settings an addon keeps in the profile between starts (e.g. the registry's host port). */
export type AddonSettings = Record<string, string | number | boolean>;

/** What an addon acts with. */
export interface AddonContext {
  client: ClusterClient;
  profile: string;
  /** Environment knobs (e.g. `KUBEDESK_REGISTRY_IMAGE`). */
  env: NodeJS.ProcessEnv;
  settings: AddonSettings;
  log?: (message: string) => void;
}

/**
 * One addon: a named set of cluster objects the engine keeps in place while it is enabled.
 * `apply` and `remove` are idempotent; an addon with `available: false` is listed but cannot be
 * enabled yet (its implementation lands later under the same name).
 */
export interface Addon {
  name: string;
  description: string;
  available: boolean;
  /**
   * Chooses settings at enable time from the previous ones (e.g. a free port); `wasEnabled`
   * tells whether the addon is enabled already (its objects may hold what it chose before);
   * `otherProfiles` holds this addon's settings in the other profiles that have it enabled
   * (so host resources such as ports are not handed out twice).
   */
  prepare?(
    previous: AddonSettings,
    options: { wasEnabled: boolean; otherProfiles: AddonSettings[] },
  ): Promise<AddonSettings>;
  /** Creates or updates the addon's objects. */
  apply(context: AddonContext): Promise<void>;
  /** Deletes the addon's objects (data the user may want back can be kept; say so in `removeNote`). */
  remove(context: AddonContext): Promise<void>;
  /** Where users reach it (e.g. `localhost:5000`), from its settings. */
  address?(settings: AddonSettings): string | undefined;
  /** Whether it answers right now (e.g. the registry on its host port); asked only while the cluster runs. */
  isServing?(settings: AddonSettings): Promise<boolean>;
  /** A sentence printed after disabling, e.g. what was kept. */
  removeNote?: string;
  /**
   * Resolves once the addon serves (after apply on a running cluster), or throws with why not;
   * optional.
   */
  waitUntilReady?(context: AddonContext, timeoutMs: number): Promise<void>;
}
