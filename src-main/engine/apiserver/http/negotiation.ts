/** One media range of an Accept header, with its parameters lower-cased by name. */
export interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

/** Parses an Accept header into media ranges, most preferred first (stable for equal q). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [type, ...rest] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0)
          params[p.slice(0, eq).trim().toLowerCase()] = p
            .slice(eq + 1)
            .trim()
            .replace(/^"|"$/g, '');
      }
      const q = params.q !== undefined ? Number(params.q) : 1;
      return { type: (type ?? '').toLowerCase(), params, q: Number.isFinite(q) ? q : 1, index };
    })
    .filter((r) => r.type !== '' && r.q > 0);
  ranges.sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges.map(({ type, params, q }) => ({ type, params, q }));
}

/** What shape the client asked a resource answer in. */
export type ResourceRepresentation =
  | { as: 'object' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' };

const JSONISH = new Set([
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  '*/*',
  'application/*',
]);

/**
 * The first representation in the Accept header this server can produce: a
 * `meta.k8s.io` Table or PartialObjectMetadata(List) when asked for one, the object itself
 * otherwise. Unknown `as=` ranges are skipped, as Kubernetes does.
 */
export function negotiateRepresentation(accept: string | undefined): ResourceRepresentation {
  for (const range of parseAccept(accept)) {
    const { as, g, v } = range.params;
    if (!as) {
      if (JSONISH.has(range.type)) return { as: 'object' };
      continue;
    }
    if (g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1')) continue;
    if (as === 'Table') return { as: 'Table', version: v };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') {
      return { as: 'PartialObjectMetadata', version: v };
    }
  }
  return { as: 'object' };
}

export type DiscoveryFormat = 'v2' | 'v2beta1' | 'legacy';

/** Aggregated discovery version the client asked for first, or legacy discovery. */
export function negotiateDiscovery(accept: string | undefined): DiscoveryFormat {
  for (const range of parseAccept(accept)) {
    const { as, g, v } = range.params;
    if (as === 'APIGroupDiscoveryList' && g === 'apidiscovery.k8s.io' && (v === 'v2' || v === 'v2beta1'))
      return v;
    if (!as && JSONISH.has(range.type)) return 'legacy';
  }
  return 'legacy';
}

export function discoveryContentType(format: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${format};as=APIGroupDiscoveryList`;
}

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/** True when the client prefers the gnostic protobuf form of /openapi/v2. */
export function wantsOpenApiProtobuf(accept: string | undefined): boolean {
  for (const range of parseAccept(accept)) {
    if (
      range.type === OPENAPI_V2_PROTOBUF ||
      range.type === 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'
    ) {
      return true;
    }
    if (range.type === 'application/json' || range.type === '*/*') return false;
  }
  return false;
}

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}
