import { isPlainObject } from '../../../k8s-object';

/**
 * One step of a field path in FieldsV1 notation: `f:<field>`, `k:{"name":"web"}` (element of a
 * keyed list), `v:"x"` (element of a set), `i:0` (element of an atomic-less positional list).
 */
export type PathElement = string;
export type FieldPath = readonly PathElement[];

interface Node {
  member: boolean;
  children: Map<PathElement, Node>;
}

const newNode = (): Node => ({ member: false, children: new Map() });

/**
 * A set of field paths, stored as a tree the way structured-merge-diff does: a node is a
 * member when the path itself is in the set; children are longer paths. Immutable API.
 */
export class FieldSet {
  private constructor(private readonly root: Node) {}

  static empty(): FieldSet {
    return new FieldSet(newNode());
  }

  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = FieldSet.empty();
    for (const p of paths) set.insertInPlace(p);
    return set;
  }

  /** Decodes a FieldsV1 object (`{"f:spec":{"f:replicas":{}}}`). Unreadable input is empty. */
  static fromFieldsV1(raw: unknown): FieldSet {
    const set = FieldSet.empty();
    const walk = (obj: unknown, node: Node): void => {
      if (!isPlainObject(obj)) return;
      for (const [key, value] of Object.entries(obj)) {
        if (key === '.') {
          node.member = true;
          continue;
        }
        let child = node.children.get(key);
        if (!child) {
          child = newNode();
          node.children.set(key, child);
        }
        if (isPlainObject(value) && Object.keys(value).length === 0) child.member = true;
        else walk(value, child);
      }
    };
    walk(raw, set.root);
    return set;
  }

  /** Encodes as FieldsV1: `{}` for a leaf member, `".": {}` for a member that has children. */
  toFieldsV1(): Record<string, unknown> {
    const encode = (node: Node): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      if (node.member && node.children.size > 0) out['.'] = {};
      for (const key of sortedKeys(node.children)) out[key] = encode(node.children.get(key) as Node);
      return out;
    };
    return encode(this.root);
  }

  isEmpty(): boolean {
    return !hasMembers(this.root);
  }

  has(path: FieldPath): boolean {
    const node = this.find(path);
    return node?.member ?? false;
  }

  /** True when `path` or any path below it is a member. */
  hasPrefix(path: FieldPath): boolean {
    const node = this.find(path);
    return node ? node.member || hasMembers(node) : false;
  }

  /** Every member path, depth first. */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (node: Node, prefix: PathElement[]): void => {
      if (node.member) out.push(prefix);
      for (const key of sortedKeys(node.children)) walk(node.children.get(key) as Node, [...prefix, key]);
    };
    walk(this.root, []);
    return out;
  }

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    for (const p of other.paths()) out.insertInPlace(p);
    return out;
  }

  difference(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((p) => other.has(p)));
  }

  /** Members not lying at or below any of `prefixes`' top-level field names. */
  withoutTopLevel(fields: readonly string[]): FieldSet {
    return FieldSet.of(this.paths().filter((p) => !fields.includes(p[0])));
  }

  equals(other: FieldSet): boolean {
    const a = this.paths();
    const b = other.paths();
    return a.length === b.length && a.every((p) => other.has(p)) && b.every((p) => this.has(p));
  }

  private clone(): FieldSet {
    return FieldSet.of(this.paths());
  }

  private find(path: FieldPath): Node | undefined {
    let node: Node | undefined = this.root;
    for (const pe of path) {
      node = node.children.get(pe);
      if (!node) return undefined;
    }
    return node;
  }

  private insertInPlace(path: FieldPath): void {
    let node = this.root;
    for (const pe of path) {
      let child = node.children.get(pe);
      if (!child) {
        child = newNode();
        node.children.set(pe, child);
      }
      node = child;
    }
    node.member = true;
  }
}

function hasMembers(node: Node): boolean {
  for (const child of node.children.values()) if (child.member || hasMembers(child)) return true;
  return false;
}

const ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** structured-merge-diff's order: field names, then keys, then values, then indexes. */
function sortedKeys(children: Map<PathElement, Node>): PathElement[] {
  return [...children.keys()].sort((a, b) => {
    const ra = ORDER[a[0]] ?? 9;
    const rb = ORDER[b[0]] ?? 9;
    if (ra !== rb) return ra - rb;
    if (a[0] === 'i' && b[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

export const fieldElement = (name: string): PathElement => `f:${name}`;

/** `k:{"containerPort":80,"protocol":"TCP"}`: key fields in name order. */
export function keyElement(key: Record<string, unknown>): PathElement {
  const sorted: Record<string, unknown> = {};
  for (const name of Object.keys(key).sort()) sorted[name] = key[name];
  return `k:${JSON.stringify(sorted)}`;
}

export const valueElement = (value: unknown): PathElement => `v:${JSON.stringify(value)}`;
export const indexElement = (index: number): PathElement => `i:${index}`;

/**
 * The path as Kubernetes prints it in apply conflicts: `.spec.replicas`,
 * `.spec.containers[name="web"].image`, `.metadata.finalizers[="x"]`, `[0]`.
 */
export function pathToString(path: FieldPath): string {
  return path
    .map((pe) => {
      const body = pe.slice(2);
      switch (pe[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const key = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.entries(key)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}
