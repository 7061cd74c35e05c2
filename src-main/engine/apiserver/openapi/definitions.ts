import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** A Swagger 2.0 / JSON-schema node as published by Kubernetes. */
export interface SchemaNode {
  $ref?: string;
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  [extension: `x-${string}`]: unknown;
}

export interface DefinitionsFile {
  /** The Kubernetes release the schemas were generated from, e.g. "v1.34.0". */
  sourceVersion: string;
  definitions: Record<string, SchemaNode>;
}

const DATA_FILE = join('resources', 'openapi', 'definitions.json.gz');

function candidateRoots(): string[] {
  const roots: string[] = [];
  if (process.env.KUBEDESK_RESOURCES) roots.push(dirname(process.env.KUBEDESK_RESOURCES));
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) roots.push(resourcesPath, dirname(resourcesPath));
  // Walk up from this module (source tree, bundled output) and from the working directory.
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    roots.push(dir);
    if (dirname(dir) === dir) break;
  }
  roots.push(process.cwd());
  return roots;
}

let cached: DefinitionsFile | undefined;

/**
 * The published definitions (loaded once from resources/openapi/definitions.json.gz).
 * Throws if the data file cannot be found: the server must not publish empty schemas.
 */
export function loadDefinitions(): DefinitionsFile {
  if (cached) return cached;
  for (const root of candidateRoots()) {
    const file = join(root, DATA_FILE);
    if (existsSync(file)) {
      cached = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as DefinitionsFile;
      return cached;
    }
  }
  throw new Error(`OpenAPI data file ${DATA_FILE} not found`);
}

/** "#/definitions/io.k8s.api.core.v1.Pod" → "io.k8s.api.core.v1.Pod". */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** Every definition name reachable from `roots` (roots included), in a stable order. */
export function closure(roots: Iterable<string>, defs: Record<string, SchemaNode>): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const name = stack.pop() as string;
    if (seen.has(name) || !defs[name]) continue;
    seen.add(name);
    visitRefs(defs[name], (r) => stack.push(r));
  }
  return [...seen].sort();
}

function visitRefs(node: SchemaNode, onRef: (name: string) => void): void {
  if (node.$ref) onRef(refName(node.$ref));
  for (const p of Object.values(node.properties ?? {})) visitRefs(p, onRef);
  if (node.items) visitRefs(node.items, onRef);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    visitRefs(node.additionalProperties, onRef);
  }
}
