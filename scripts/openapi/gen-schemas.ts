/**
 * Regenerates resources/openapi/definitions.json.gz: the Swagger 2.0 `definitions` for every
 * kind the server publishes (and everything they reference), in Kubernetes' own naming.
 *
 * Sources (all from the package registries this project uses):
 *  - npm `kubernetes-models` + `@kubernetes-models/apimachinery`: generated from the upstream
 *    OpenAPI document; every definition with its full name, field descriptions (also on
 *    reference fields), required fields, enums and apiVersion/kind literals.
 *  - `@kubernetes/client-node` (installed): integer formats (int32/int64) and doubles.
 *  - Debian `golang-k8s-kube-openapi-dev`: a complete upstream swagger.json (older release) as
 *    test data; it carries the `x-kubernetes-patch-*` / list-type extensions, which we copy
 *    for the fields that still exist, plus EXTRA_EXTENSIONS below for newer fields.
 *
 * Run: npx tsx scripts/openapi/gen-schemas.ts   (needs npm and apt-get; writes the .gz file)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as clientNode from '@kubernetes/client-node';
import {
  SERVED_GROUP_VERSIONS,
  COMMON_DEFINITIONS,
} from '../../src-main/engine/apiserver/openapi/served-resources';

const KUBERNETES_MODELS = 'kubernetes-models@5.1.0';
const APIMACHINERY_MODELS = '@kubernetes-models/apimachinery@3.0.2';
const SOURCE_VERSION = 'v1.34.0';

type Json = Record<string, unknown>;

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outFile = join(repoRoot, 'resources', 'openapi', 'definitions.json.gz');

function fetchSources(): { modelDirs: string[]; oldSwagger: Json } {
  const work = process.env.OPENAPI_SOURCES ?? mkdtempSync(join(tmpdir(), 'openapi-src-'));
  const modelDirs = ['km', 'am'].map((d) => join(work, d));
  if (!existsSync(join(work, 'km', 'package'))) {
    execFileSync('npm', ['pack', KUBERNETES_MODELS, APIMACHINERY_MODELS], { cwd: work, stdio: 'inherit' });
    const tgz = readdirSync(work).filter((f) => f.endsWith('.tgz'));
    for (const [dir, match] of [
      ['km', /^kubernetes-models-\d/],
      ['am', /^kubernetes-models-apimachinery-/],
    ] as const) {
      const file = tgz.find((f) => match.test(f));
      if (!file) throw new Error(`npm pack produced no ${dir} tarball`);
      execFileSync('mkdir', ['-p', join(work, dir)]);
      execFileSync('tar', ['xzf', join(work, file), '-C', join(work, dir)]);
    }
  }
  const swaggerPath = join(
    work,
    'deb/usr/share/gocode/src/k8s.io/kube-openapi/pkg/schemaconv/testdata/swagger.json',
  );
  if (!existsSync(swaggerPath)) {
    execFileSync('apt-get', ['download', 'golang-k8s-kube-openapi-dev'], { cwd: work, stdio: 'inherit' });
    const deb = readdirSync(work).find(
      (f) => f.startsWith('golang-k8s-kube-openapi-dev') && f.endsWith('.deb'),
    );
    if (!deb) throw new Error('apt-get download produced no .deb');
    execFileSync('dpkg', ['-x', join(work, deb), join(work, 'deb')]);
  }
  return {
    modelDirs: modelDirs.map((d) => join(d, 'package')),
    oldSwagger: JSON.parse(readFileSync(swaggerPath, 'utf8')) as Json,
  };
}

/** "IoK8sApiCoreV1PodSpec" → "io.k8s.api.core.v1.PodSpec". */
const VERSIONLESS: Record<string, string> = {
  IoK8sApimachineryPkgApiResourceQuantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  IoK8sApimachineryPkgUtilIntstrIntOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  IoK8sApimachineryPkgRuntimeRawExtension: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
  IoK8sApimachineryPkgVersionInfo: 'io.k8s.apimachinery.pkg.version.Info',
};

function definitionName(exported: string): string | undefined {
  const bare = exported.replace(/^I(?=IoK8s)/, '');
  if (VERSIONLESS[bare]) return VERSIONLESS[bare];
  const m = /^(IoK8s.*?)(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/.exec(bare);
  if (!m) return undefined;
  const pkg = m[1].replace(/([a-z0-9])([A-Z])/g, '$1.$2').toLowerCase();
  return `${pkg}.${m[2].toLowerCase()}.${m[3]}`;
}

interface ParsedDef {
  description?: string;
  kind: 'object' | 'alias';
  properties: { name: string; optional: boolean; description?: string; type: ts.TypeNode }[];
  aliasType?: ts.TypeNode;
  gvk?: { group: string; version: string; kind: string };
  sourceFile: ts.SourceFile;
}

function jsDocOf(node: ts.Node, sf: ts.SourceFile): string | undefined {
  const text = sf.getFullText();
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const last = ranges.filter((r) => text.startsWith('/**', r.pos)).pop();
  if (!last) return undefined;
  const body = text.slice(last.pos + 3, last.end - 2);
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const joined = lines.join('\n').replace(/\*\\\//g, '*/');
  return joined || undefined;
}

function walkDts(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (entry === 'node_modules' || entry === '_schemas') continue;
    if (statSync(p).isDirectory()) walkDts(p, out);
    else if (entry.endsWith('.d.ts') && entry !== 'index.d.ts') out.push(p);
  }
}

function parseModels(dirs: string[]): Map<string, ParsedDef> {
  const defs = new Map<string, ParsedDef>();
  const files: string[] = [];
  for (const d of dirs) walkDts(d, files);
  for (const file of files) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const local = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
    const exportsByLocal = new Map<string, string>();
    for (const st of sf.statements) {
      if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) local.set(st.name.text, st);
      if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          if (el.propertyName && /^IIoK8s/.test(el.name.text))
            exportsByLocal.set(el.propertyName.text, el.name.text);
        }
      }
    }
    for (const [localName, exported] of exportsByLocal) {
      const decl = local.get(localName);
      const name = definitionName(exported);
      if (!decl || !name) continue;
      const parsed: ParsedDef = {
        description: jsDocOf(decl, sf),
        kind: 'object',
        properties: [],
        sourceFile: sf,
      };
      if (ts.isTypeAliasDeclaration(decl)) {
        parsed.kind = 'alias';
        parsed.aliasType = decl.type;
      } else {
        let apiVersion: string | undefined;
        let kind: string | undefined;
        for (const m of decl.members) {
          if (!ts.isPropertySignature(m) || !m.type) continue;
          const propName = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : undefined;
          if (!propName) continue;
          if (ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) {
            if (propName === 'apiVersion') apiVersion = m.type.literal.text;
            if (propName === 'kind') kind = m.type.literal.text;
          }
          parsed.properties.push({
            name: propName,
            optional: !!m.questionToken,
            description: jsDocOf(m, sf),
            type: m.type,
          });
        }
        if (apiVersion && kind) {
          const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
          parsed.gvk = { group, version, kind };
          // apiVersion and kind are typed as literals there, but are optional on the wire.
          for (const p of parsed.properties)
            if (p.name === 'apiVersion' || p.name === 'kind') p.optional = true;
        }
      }
      defs.set(name, parsed);
    }
  }
  return defs;
}

/** Integer/number formats from client-node's attribute maps, keyed "Class.field". */
function numberFormats(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [className, value] of Object.entries(clientNode)) {
    if (typeof value !== 'function') continue;
    const map = (value as { attributeTypeMap?: unknown }).attributeTypeMap;
    if (!Array.isArray(map)) continue;
    for (const a of map as { baseName: string; format: string }[]) {
      if (a.format) out.set(`${className}.${a.baseName}`, a.format);
    }
  }
  return out;
}

function clientNodeClassNames(def: string): string[] {
  const parts = def.split('.');
  const kind = parts[parts.length - 1];
  const version = parts[parts.length - 2];
  const pkg = parts[parts.length - 3];
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return [`${cap(pkg)}${cap(version)}${kind}`, `${cap(version)}${kind}`];
}

/** Extensions for fields newer than the older swagger, as upstream declares them. */
const EXTRA_EXTENSIONS: Record<string, Record<string, Json>> = {
  'io.k8s.api.apps.v1.DeploymentSpec': {
    strategy: { 'x-kubernetes-patch-strategy': 'retainKeys' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    matchExpressions: { 'x-kubernetes-list-type': 'atomic' },
  },
  'io.k8s.api.core.v1.PodSpec': {
    tolerations: { 'x-kubernetes-list-type': 'atomic' },
    topologySpreadConstraints: {
      'x-kubernetes-list-map-keys': ['topologyKey', 'whenUnsatisfiable'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'topologyKey',
      'x-kubernetes-patch-strategy': 'merge',
    },
    ephemeralContainers: { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' },
    resourceClaims: {
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge,retainKeys',
    },
    schedulingGates: {
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    },
  },
  'io.k8s.api.core.v1.Container': {
    resizePolicy: { 'x-kubernetes-list-type': 'atomic' },
    args: { 'x-kubernetes-list-type': 'atomic' },
    command: { 'x-kubernetes-list-type': 'atomic' },
    envFrom: { 'x-kubernetes-list-type': 'atomic' },
  },
  'io.k8s.api.core.v1.PodStatus': {
    conditions: { 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-patch-strategy': 'merge' },
    ephemeralContainerStatuses: { 'x-kubernetes-list-type': 'atomic' },
    podIPs: { 'x-kubernetes-patch-merge-key': 'ip', 'x-kubernetes-patch-strategy': 'merge' },
  },
  'io.k8s.api.core.v1.ServiceSpec': {
    ports: {
      'x-kubernetes-list-map-keys': ['port', 'protocol'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'port',
      'x-kubernetes-patch-strategy': 'merge',
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    finalizers: { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' },
    ownerReferences: {
      'x-kubernetes-list-map-keys': ['uid'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'uid',
      'x-kubernetes-patch-strategy': 'merge',
    },
    managedFields: { 'x-kubernetes-list-type': 'atomic' },
  },
};

const PRIMITIVE_ALIASES: Record<string, Json> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
};

function main(): void {
  const { modelDirs, oldSwagger } = fetchSources();
  const parsed = parseModels(modelDirs);
  const formats = numberFormats();
  const oldDefs = (oldSwagger.definitions ?? {}) as Record<string, Json>;
  const out: Record<string, Json> = {};
  const queue: string[] = [];
  const enqueue = (name: string) => {
    if (!(name in out) && !queue.includes(name)) queue.push(name);
  };

  function numberSchema(def: string, prop: string): Json {
    for (const cls of clientNodeClassNames(def)) {
      const f = formats.get(`${cls}.${prop}`);
      if (f === 'double' || f === 'float') return { type: 'number', format: 'double' };
      if (f === 'int32' || f === 'int64') return { type: 'integer', format: f };
    }
    return { type: 'integer', format: 'int32' };
  }

  function typeToSchema(node: ts.TypeNode, def: string, prop: string): Json {
    if (ts.isParenthesizedTypeNode(node)) return typeToSchema(node.type, def, prop);
    if (node.kind === ts.SyntaxKind.StringKeyword) return { type: 'string' };
    if (node.kind === ts.SyntaxKind.NumberKeyword) return numberSchema(def, prop);
    if (node.kind === ts.SyntaxKind.BooleanKeyword) return { type: 'boolean' };
    if (node.kind === ts.SyntaxKind.AnyKeyword || node.kind === ts.SyntaxKind.UnknownKeyword) {
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    if (ts.isLiteralTypeNode(node)) {
      if (ts.isStringLiteral(node.literal)) return { type: 'string' };
      if (
        node.literal.kind === ts.SyntaxKind.TrueKeyword ||
        node.literal.kind === ts.SyntaxKind.FalseKeyword
      ) {
        return { type: 'boolean' };
      }
      return { type: 'integer' };
    }
    if (ts.isUnionTypeNode(node)) {
      const members = node.types.filter(
        (t) => !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword),
      );
      if (members.length && members.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal))) {
        return {
          type: 'string',
          enum: members.map((t) => ((t as ts.LiteralTypeNode).literal as ts.StringLiteral).text),
        };
      }
      if (members.length === 1) return typeToSchema(members[0], def, prop);
      return { type: 'string' };
    }
    if (ts.isArrayTypeNode(node)) return { type: 'array', items: typeToSchema(node.elementType, def, prop) };
    if (ts.isTypeLiteralNode(node)) {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index?.type) return { type: 'object', additionalProperties: typeToSchema(index.type, def, prop) };
      return { type: 'object' };
    }
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText();
      if ((name === 'Array' || name === 'ReadonlyArray') && node.typeArguments?.length === 1) {
        return { type: 'array', items: typeToSchema(node.typeArguments[0], def, prop) };
      }
      if (name === 'Record' && node.typeArguments?.length === 2) {
        return { type: 'object', additionalProperties: typeToSchema(node.typeArguments[1], def, prop) };
      }
      const target = definitionName(name);
      if (target && parsed.has(target)) {
        enqueue(target);
        return { $ref: `#/definitions/${target}` };
      }
      throw new Error(`${def}.${prop}: unknown type reference ${name}`);
    }
    throw new Error(`${def}.${prop}: unsupported type ${ts.SyntaxKind[node.kind]}`);
  }

  function build(name: string): Json {
    const p = parsed.get(name);
    if (!p) throw new Error(`no model for ${name}`);
    const schema: Json = {};
    if (p.description) schema.description = p.description;
    if (p.kind === 'alias') {
      Object.assign(schema, PRIMITIVE_ALIASES[name] ?? { type: 'object' });
      return schema;
    }
    const old = oldDefs[name];
    const properties: Record<string, Json> = {};
    const required: string[] = [];
    for (const prop of p.properties) {
      const s: Json = typeToSchema(prop.type, name, prop.name);
      if (prop.description) s.description = prop.description;
      const oldProp = ((old?.properties ?? {}) as Record<string, Json>)[prop.name];
      for (const [k, v] of Object.entries(oldProp ?? {})) {
        if (k.startsWith('x-kubernetes-')) s[k] = v;
      }
      Object.assign(s, EXTRA_EXTENSIONS[name]?.[prop.name] ?? {});
      properties[prop.name] = s;
      if (!prop.optional) required.push(prop.name);
    }
    if (required.length) schema.required = required.sort();
    schema.type = 'object';
    if (Object.keys(properties).length) schema.properties = properties;
    else if (name.endsWith('.FieldsV1') || name.endsWith('.RawExtension')) {
      // Free-form by design: any content is accepted and kept.
    }
    for (const [k, v] of Object.entries(old ?? {})) {
      if (k.startsWith('x-kubernetes-') && k !== 'x-kubernetes-group-version-kind') schema[k] = v;
    }
    if (p.gvk) schema['x-kubernetes-group-version-kind'] = [p.gvk];
    return schema;
  }

  const roots = new Set<string>(COMMON_DEFINITIONS);
  for (const gv of SERVED_GROUP_VERSIONS) {
    for (const r of gv.resources) {
      roots.add(r.definition);
      if (r.listDefinition) roots.add(r.listDefinition);
      for (const s of r.subresources) if (s.definition) roots.add(s.definition);
    }
  }
  for (const r of roots) enqueue(r);
  while (queue.length) {
    const name = queue.shift() as string;
    out[name] = build(name);
  }

  // Shared meta kinds are served by every group-version.
  const everyGv = SERVED_GROUP_VERSIONS.map((g) => ({ group: g.group, version: g.version }));
  for (const meta of ['DeleteOptions', 'WatchEvent']) {
    const d = out[`io.k8s.apimachinery.pkg.apis.meta.v1.${meta}`];
    if (d) d['x-kubernetes-group-version-kind'] = everyGv.map((g) => ({ ...g, kind: meta }));
  }
  const status = out['io.k8s.apimachinery.pkg.apis.meta.v1.Status'];
  if (status) status['x-kubernetes-group-version-kind'] = [{ group: '', version: 'v1', kind: 'Status' }];

  // The models type apiVersion/kind as literals without their (shared) TypeMeta descriptions.
  const typeMeta = (status?.properties ?? {}) as Record<string, Json>;
  for (const def of Object.values(out)) {
    const props = (def.properties ?? {}) as Record<string, Json>;
    for (const field of ['apiVersion', 'kind']) {
      if (props[field] && !props[field].description && typeMeta[field]?.description) {
        props[field].description = typeMeta[field].description;
      }
    }
  }

  const sorted: Record<string, Json> = {};
  for (const k of Object.keys(out).sort()) sorted[k] = out[k];
  const body = JSON.stringify({ sourceVersion: SOURCE_VERSION, definitions: sorted });
  writeFileSync(outFile, gzipSync(body, { level: 9 }));
  console.log(`${Object.keys(sorted).length} definitions, ${body.length} bytes → ${outFile}`);
}

main();
