import type { ResourceType } from '../../ipc/contract';
import type { KubeRest } from './kube-rest';

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
  shortNames?: string[];
}

interface GroupList {
  groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[];
}

/**
 * Every top-level resource type the server serves, in each group's preferred version (CRDs
 * included). Subresources (`pods/log`) are left out. Groups whose discovery fails are skipped,
 * as kubectl does, so one broken aggregated API does not hide the rest.
 */
export async function discoverResources(rest: KubeRest): Promise<ResourceType[]> {
  const core = await rest.request<{ versions?: string[] }>({ path: '/api' });
  const groups = await rest.request<GroupList>({ path: '/apis' });
  const targets: { group: string; version: string; path: string }[] = (core.versions ?? ['v1']).map(
    (version) => ({ group: '', version, path: `/api/${version}` }),
  );
  for (const group of groups.groups ?? []) {
    const version = group.preferredVersion?.version ?? group.versions?.[0]?.version;
    if (version) targets.push({ group: group.name, version, path: `/apis/${group.name}/${version}` });
  }
  const lists = await Promise.all(
    targets.map(async (target) => {
      try {
        const list = await rest.request<{ resources?: ApiResource[] }>({
          path: target.path,
          timeoutMs: 10_000,
        });
        return (list.resources ?? [])
          .filter((resource) => !resource.name.includes('/'))
          .map((resource): ResourceType => ({
            group: target.group,
            version: target.version,
            plural: resource.name,
            kind: resource.kind,
            namespaced: resource.namespaced,
            verbs: resource.verbs ?? [],
            ...(resource.shortNames?.length ? { shortNames: resource.shortNames } : {}),
          }));
      } catch {
        return [];
      }
    }),
  );
  return lists.flat();
}

/** Finds the type of `kind` in `apiVersion` among discovered types. */
export function findType(
  types: ResourceType[],
  group: string,
  version: string,
  kind: string,
): ResourceType | undefined {
  return (
    types.find((t) => t.group === group && t.version === version && t.kind === kind) ??
    // A served but non-preferred version (e.g. autoscaling/v1 when v2 is preferred) still maps
    // kind → plural and scope the same way.
    mapVersion(
      types.find((t) => t.group === group && t.kind === kind),
      version,
    )
  );
}

function mapVersion(type: ResourceType | undefined, version: string): ResourceType | undefined {
  return type ? { ...type, version } : undefined;
}
