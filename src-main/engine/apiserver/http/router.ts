import { badRequest } from '../status';

/** What a request path addresses. */
export type Route =
  | { kind: 'nonResource'; path: string }
  | { kind: 'coreVersions' }
  | { kind: 'groupList' }
  | { kind: 'group'; group: string }
  | { kind: 'resourceList'; group: string; version: string }
  | ResourceRoute;

export interface ResourceRoute {
  kind: 'resource';
  group: string;
  version: string;
  /** The namespace segment of the URL (namespaced requests only). */
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
  /** Segments after the subresource (proxy paths). */
  rest?: string;
  /** `/watch/` legacy prefix. */
  legacyWatch?: boolean;
}

/** Decides whether a plural is a namespaced resource of the group-version (for path parsing). */
export type IsNamespaced = (group: string, version: string, plural: string) => boolean | undefined;

/**
 * Splits an API path the way Kubernetes' request info resolver does:
 * `/api/v1[/watch][/namespaces/<ns>]/<plural>[/<name>[/<subresource>[/…]]]` and the same
 * under `/apis/<group>/<version>`. `/api/v1/namespaces/<name>[/status|finalize]` addresses
 * the Namespace itself.
 */
export function parseRoute(pathname: string, isNamespaced: IsNamespaced): Route {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw badRequest(`invalid path segment: ${s}`);
      }
    });
  if (segments[0] === 'api') {
    if (segments.length === 1) return { kind: 'coreVersions' };
    return resourceRoute('', segments[1], segments.slice(2), pathname, isNamespaced);
  }
  if (segments[0] === 'apis') {
    if (segments.length === 1) return { kind: 'groupList' };
    if (segments.length === 2) return { kind: 'group', group: segments[1] };
    return resourceRoute(segments[1], segments[2], segments.slice(3), pathname, isNamespaced);
  }
  return { kind: 'nonResource', path: pathname };
}

function resourceRoute(
  group: string,
  version: string,
  rest: string[],
  pathname: string,
  isNamespaced: IsNamespaced,
): Route {
  if (rest.length === 0) return { kind: 'resourceList', group, version };
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
    if (rest.length === 0) return { kind: 'nonResource', path: pathname };
  }
  let namespace: string | undefined;
  // `namespaces/<ns>/<plural>` scopes a namespaced resource; `namespaces/<name>[/<sub>]` is
  // the Namespace object itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && isNamespaced(group, version, rest[2]) === true) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...more] = rest;
  return {
    kind: 'resource',
    group,
    version,
    ...(namespace !== undefined ? { namespace } : {}),
    plural,
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    ...(more.length ? { rest: more.join('/') } : {}),
    ...(legacyWatch ? { legacyWatch } : {}),
  };
}
