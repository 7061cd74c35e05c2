import { useSyncExternalStore } from 'react';

/** Where the dashboard is. Kept in the URL hash so reloads and the browser's back button work. */
export type Route =
  | { view: 'home' }
  | { view: 'list'; cluster: string; resource: string }
  | { view: 'detail'; cluster: string; resource: string; namespace: string | undefined; name: string };

/** Parses `#/c/<cluster>/<resource>[/<namespace|_>/<name>]`; anything else is home. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] !== 'c' || !parts[1]) return { view: 'home' };
  const cluster = parts[1];
  const resource = parts[2] || 'pods';
  if (parts.length >= 5 && parts[4]) {
    return {
      view: 'detail',
      cluster,
      resource,
      namespace: parts[3] === '_' ? undefined : parts[3],
      name: parts[4],
    };
  }
  return { view: 'list', cluster, resource };
}

/** The hash of a route (the inverse of parseRoute). */
export function routeHref(route: Route): string {
  if (route.view === 'home') return '#/';
  const base = `#/c/${encodeURIComponent(route.cluster)}/${encodeURIComponent(route.resource)}`;
  if (route.view === 'list') return base;
  return `${base}/${route.namespace ? encodeURIComponent(route.namespace) : '_'}/${encodeURIComponent(route.name)}`;
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
