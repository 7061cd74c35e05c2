import type { V1Ingress, V1IngressBackend, V1IngressClass } from '@kubernetes/client-node';

/** The class the built-in controller serves, and the controller name it declares. */
export const INGRESS_CLASS = 'nginx';
export const INGRESS_CONTROLLER = 'k8s.io/ingress-nginx';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
/** ingress-nginx annotations the router honours. */
export const REWRITE_TARGET = 'nginx.ingress.kubernetes.io/rewrite-target';
export const USE_REGEX = 'nginx.ingress.kubernetes.io/use-regex';
export const SSL_REDIRECT = 'nginx.ingress.kubernetes.io/ssl-redirect';
export const FORCE_SSL_REDIRECT = 'nginx.ingress.kubernetes.io/force-ssl-redirect';

/** Where a matched request goes: a Service port, named or numbered. */
export interface RouteTarget {
  namespace: string;
  service: string;
  port: { number?: number; name?: string };
  /** The Ingress the route came from, as namespace/name. */
  ingress: string;
}

interface PathRoute {
  host: string;
  /** "" for a rule without host (any host). */
  pathType: 'Exact' | 'Prefix';
  path: string;
  target: RouteTarget;
  /** Creation order, so the oldest Ingress wins a tie as ingress-nginx does. */
  order: number;
  /** With use-regex or rewrite-target: the path as a case-insensitive regex anchored at the start. */
  regex?: RegExp;
  rewrite?: string;
  /** Hosts of the Ingress' TLS entries, when plain HTTP is to be redirected to HTTPS for them. */
  redirectHosts: string[];
  forceRedirect: boolean;
}

/** A routing decision for one request. */
export interface RouteMatch {
  target: RouteTarget;
  /** The path (and query) to send upstream, when rewrite-target changed it. */
  rewrittenUrl?: string;
  /** Plain HTTP requests must be redirected to HTTPS (ssl-redirect). */
  redirectToHttps: boolean;
}

/**
 * True when the built-in controller serves `ingress`: its class is ours, or it names none and
 * our class is the cluster default (or no class object exists at all).
 */
export function servedByUs(ingress: V1Ingress, classes: V1IngressClass[]): boolean {
  const name =
    ingress.spec?.ingressClassName ?? ingress.metadata?.annotations?.['kubernetes.io/ingress.class'];
  if (name) return name === INGRESS_CLASS;
  const defaults = classes.filter((c) => c.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  if (defaults.length === 0)
    return !classes.some((c) => c.metadata?.name && c.metadata.name !== INGRESS_CLASS);
  return defaults.some((c) => c.metadata?.name === INGRESS_CLASS);
}

function toTarget(
  namespace: string,
  ingress: string,
  backend: V1IngressBackend | undefined,
): RouteTarget | undefined {
  const service = backend?.service;
  if (!service?.name) return undefined;
  return {
    namespace,
    service: service.name,
    port: { number: service.port?.number, name: service.port?.name },
    ingress: `${namespace}/${ingress}`,
  };
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '' || pattern === host) return true;
  // A wildcard covers exactly one DNS label, as the Ingress API defines it.
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    return (
      host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.') && host.length > suffix.length
    );
  }
  return false;
}

/** Prefix matching is element-wise: /foo matches /foo and /foo/bar, never /foobar. */
function prefixMatches(prefix: string, path: string): boolean {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed === '') return true;
  return path === trimmed || path.startsWith(`${trimmed}/`);
}

/**
 * The routing table built from every Ingress served by us: rules by host (exact names before
 * wildcards before host-less rules), then paths — the longest match wins and, at equal
 * length, Exact beats Prefix. `ImplementationSpecific` is treated as Prefix. Requests no rule
 * matches go to the oldest Ingress' `defaultBackend`.
 */
export class IngressRoutes {
  private readonly routes: PathRoute[] = [];
  private defaultTarget: RouteTarget | undefined;

  constructor(ingresses: V1Ingress[]) {
    const ordered = [...ingresses].sort((a, b) =>
      String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')),
    );
    ordered.forEach((ingress, order) => {
      const namespace = ingress.metadata?.namespace ?? 'default';
      const name = ingress.metadata?.name ?? '';
      this.defaultTarget ??= toTarget(namespace, name, ingress.spec?.defaultBackend);
      const annotations = ingress.metadata?.annotations ?? {};
      const rewrite = annotations[REWRITE_TARGET];
      const useRegex = annotations[USE_REGEX] === 'true' || rewrite !== undefined;
      // ingress-nginx redirects plain HTTP to HTTPS for TLS hosts unless told not to.
      const redirectHosts =
        annotations[SSL_REDIRECT] === 'false'
          ? []
          : (ingress.spec?.tls ?? []).flatMap((t) => t.hosts ?? []).map((h) => h.toLowerCase());
      const forceRedirect = annotations[FORCE_SSL_REDIRECT] === 'true';
      for (const rule of ingress.spec?.rules ?? []) {
        for (const path of rule.http?.paths ?? []) {
          const target = toTarget(namespace, name, path.backend);
          if (!target) continue;
          const pathType = path.pathType === 'Exact' ? 'Exact' : 'Prefix';
          let regex: RegExp | undefined;
          if (useRegex && pathType === 'Prefix') {
            try {
              regex = new RegExp(`^${path.path || '/'}`, 'i');
            } catch {
              continue; // nginx would reject the configuration; the route is left out.
            }
          }
          this.routes.push({
            host: (rule.host ?? '').toLowerCase(),
            pathType,
            path: path.path || '/',
            target,
            order,
            regex,
            rewrite,
            redirectHosts,
            forceRedirect,
          });
        }
      }
    });
  }

  /** The target for a request's Host header (port stripped) and URL path. */
  match(hostHeader: string | undefined, path: string): RouteMatch | undefined {
    const host = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
    const cleanPath = path.split('?')[0] || '/';
    let best: PathRoute | undefined;
    let bestRank: number[] | undefined;
    for (const route of this.routes) {
      if (!hostMatches(route.host, host)) continue;
      const matches =
        route.pathType === 'Exact'
          ? cleanPath === route.path
          : route.regex
            ? route.regex.test(cleanPath)
            : prefixMatches(route.path, cleanPath);
      if (!matches) continue;
      const hostRank = route.host === host ? 2 : route.host === '' ? 0 : 1;
      const rank = [hostRank, route.path.length, route.pathType === 'Exact' ? 1 : 0, -route.order];
      if (!bestRank || compare(rank, bestRank) > 0) {
        best = route;
        bestRank = rank;
      }
    }
    if (best) {
      const redirectToHttps =
        best.forceRedirect || best.redirectHosts.some((h) => hostMatches(h, host) && h !== '');
      return { target: best.target, rewrittenUrl: rewritten(best, path), redirectToHttps };
    }
    return this.defaultTarget ? { target: this.defaultTarget, redirectToHttps: false } : undefined;
  }
}

/**
 * nginx's `rewrite "(?i)<path>" <target> break;`: a matching URI is replaced as a whole by the
 * target, with `$1`… taken from the path's capture groups; the query string is kept.
 */
function rewritten(route: PathRoute, url: string): string | undefined {
  if (route.rewrite === undefined || !route.regex) return undefined;
  const [path, ...query] = url.split('?');
  const match = route.regex.exec(path);
  if (!match) return undefined;
  let target = route.rewrite.replace(/\$(\d)/g, (_, n: string) => match[Number(n)] ?? '');
  if (!target.startsWith('/')) target = `/${target}`;
  return query.length ? `${target}?${query.join('?')}` : target;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
