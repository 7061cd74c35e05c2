import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  openapiResponse,
  openapiV2Json,
  openapiV2Protobuf,
  openapiV3Document,
  openapiV3Hash,
  openapiV3Root,
} from './index';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => v as Json;

describe('openapiV3Root', () => {
  it('lists every served group-version with a content-hash URL', () => {
    const root = openapiV3Root();
    const keys = Object.keys(root.paths);
    for (const k of [
      'api/v1',
      'apis/apps/v1',
      'apis/batch/v1',
      'apis/networking.k8s.io/v1',
      'apis/discovery.k8s.io/v1',
      'apis/coordination.k8s.io/v1',
      'apis/storage.k8s.io/v1',
      'apis/events.k8s.io/v1',
      'apis/rbac.authorization.k8s.io/v1',
      'apis/policy/v1',
      'apis/autoscaling/v1',
      'apis/autoscaling/v2',
      'apis/authentication.k8s.io/v1',
      'apis/authorization.k8s.io/v1',
      'apis/scheduling.k8s.io/v1',
      'apis/node.k8s.io/v1',
    ]) {
      expect(keys).toContain(k);
    }
    expect(keys).toHaveLength(16);
    const url = root.paths['apis/apps/v1'].serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    expect(url.endsWith(openapiV3Hash('apis/apps/v1') ?? 'missing')).toBe(true);
  });
});

describe('openapiV3Document', () => {
  it('returns undefined for group-versions that are not served', () => {
    expect(openapiV3Document('apis/example.com/v1')).toBeUndefined();
  });

  it('describes Deployment with GVK, descriptions and patch extensions', () => {
    const doc = obj(openapiV3Document('apis/apps/v1'));
    const schemas = obj(obj(doc.components).schemas);
    const dep = obj(schemas['io.k8s.api.apps.v1.Deployment']);
    expect(dep['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    expect(dep.description).toBe('Deployment enables declarative updates for Pods and ReplicaSets.');
    const spec = obj(obj(dep.properties).spec);
    expect(spec.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }]);
    expect(spec.description).toContain('desired behavior');
    const podSpec = obj(schemas['io.k8s.api.core.v1.PodSpec']);
    const containers = obj(obj(podSpec.properties).containers);
    expect(containers['x-kubernetes-patch-merge-key']).toBe('name');
    expect(containers['x-kubernetes-patch-strategy']).toBe('merge');
    expect(obj(containers.items).$ref).toBe('#/components/schemas/io.k8s.api.core.v1.Container');
    const strategy = obj(obj(obj(schemas['io.k8s.api.apps.v1.DeploymentSpec']).properties).strategy);
    expect(strategy['x-kubernetes-patch-strategy']).toBe('retainKeys');
    const port = obj(obj(obj(schemas['io.k8s.api.core.v1.ContainerPort']).properties).containerPort);
    expect(port).toMatchObject({ type: 'integer', format: 'int32' });
    const intOrString = obj(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']);
    expect(intOrString.oneOf).toEqual([{ type: 'integer' }, { type: 'string' }]);
    expect(intOrString.type).toBeUndefined();
  });

  it('publishes patch operations with GVK and the fieldValidation parameter', () => {
    const doc = obj(openapiV3Document('/apis/apps/v1/'));
    const paths = obj(doc.paths);
    const item = obj(paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']);
    for (const method of ['patch', 'put']) {
      const op = obj(item[method]);
      expect(op['x-kubernetes-group-version-kind']).toEqual({
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
      });
      expect((op.parameters as Json[]).map((p) => p.name)).toContain('fieldValidation');
    }
    const create = obj(obj(paths['/apis/apps/v1/namespaces/{namespace}/deployments']).post);
    expect((create.parameters as Json[]).map((p) => p.name)).toContain('fieldValidation');
    const scale = obj(obj(paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']).patch);
    expect(scale['x-kubernetes-group-version-kind']).toEqual({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    expect(obj(obj(doc.components).schemas)['io.k8s.api.autoscaling.v1.Scale']).toBeDefined();
  });

  it('covers core kinds including cluster-scoped ones and list-all-namespaces paths', () => {
    const paths = obj(obj(openapiV3Document('api/v1')).paths);
    expect(paths['/api/v1/namespaces/{name}']).toBeDefined();
    expect(paths['/api/v1/nodes/{name}/status']).toBeDefined();
    expect(paths['/api/v1/pods']).toBeDefined();
    const evict = obj(obj(paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction']).post);
    expect(evict['x-kubernetes-group-version-kind']).toEqual({
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
    });
  });
});

describe('openapiV2Json', () => {
  it('is a Swagger 2.0 document with definitions and paths for every group', () => {
    const doc = obj(openapiV2Json());
    expect(doc.swagger).toBe('2.0');
    const defs = obj(doc.definitions);
    expect(defs['io.k8s.api.core.v1.Pod']).toBeDefined();
    expect(defs['io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler']).toBeDefined();
    const paths = obj(doc.paths);
    const patch = obj(obj(paths['/apis/batch/v1/namespaces/{namespace}/cronjobs/{name}']).patch);
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'batch',
      version: 'v1',
      kind: 'CronJob',
    });
    const params = patch.parameters as Json[];
    expect(params.find((p) => p.name === 'fieldValidation')).toMatchObject({ in: 'query', type: 'string' });
    expect(params.find((p) => p.in === 'body')).toMatchObject({
      schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' },
    });
  });
});

describe('openapiV2Protobuf', () => {
  it('encodes a gnostic Document whose fields decode back to the JSON document', () => {
    const bytes = openapiV2Protobuf();
    expect(openapiV2Protobuf()).toBe(bytes);
    const r = protobuf.Reader.create(bytes);
    let swagger = '';
    let pathCount = 0;
    let defCount = 0;
    const names: string[] = [];
    while (r.pos < r.len) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 1) swagger = r.string();
      else if (field === 8 || field === 9) {
        const end = r.uint32() + r.pos;
        while (r.pos < end) {
          const inner = r.uint32();
          const len = r.uint32();
          const itemEnd = r.pos + len;
          // NamedPathItem / NamedSchema: field 1 is the name.
          r.uint32();
          names.push(r.string());
          r.pos = itemEnd;
          if (field === 8 && inner >>> 3 === 2) pathCount++;
          if (field === 9) defCount++;
        }
      } else r.skipType(tag & 7);
    }
    const json = obj(openapiV2Json());
    expect(swagger).toBe('2.0');
    expect(pathCount).toBe(Object.keys(obj(json.paths)).length);
    expect(defCount).toBe(Object.keys(obj(json.definitions)).length);
    expect(names).toContain('/apis/apps/v1/namespaces/{namespace}/deployments/{name}');
    expect(names).toContain('io.k8s.api.core.v1.Container');
  });
});

/** Splits one protobuf message into its fields (length-delimited values as bytes). */
function fields(buf: Uint8Array): { field: number; bytes?: Uint8Array; varint?: number }[] {
  const r = protobuf.Reader.create(buf);
  const out: { field: number; bytes?: Uint8Array; varint?: number }[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    if ((tag & 7) === 2) out.push({ field: tag >>> 3, bytes: r.bytes() });
    else if ((tag & 7) === 0) out.push({ field: tag >>> 3, varint: r.uint32() });
    else r.skipType(tag & 7);
  }
  return out;
}
const text = (b?: Uint8Array) => Buffer.from(b ?? []).toString('utf8');
const sub = (msg: Uint8Array | undefined, field: number) =>
  fields(msg ?? new Uint8Array()).filter((f) => f.field === field);

describe('openapiV2Protobuf field layout', () => {
  it('carries the patch operation GVK (as YAML) and the fieldValidation query parameter', () => {
    const paths = sub(openapiV2Protobuf(), 8)[0].bytes;
    const named = sub(paths, 2).find(
      (p) => text(sub(p.bytes, 1)[0].bytes) === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}',
    );
    const pathItem = sub(named?.bytes, 2)[0].bytes;
    const patch = sub(pathItem, 8)[0].bytes;
    const ext = sub(patch, 13).map((e) => ({
      name: text(sub(e.bytes, 1)[0].bytes),
      yaml: text(sub(sub(e.bytes, 2)[0].bytes, 2)[0].bytes),
    }));
    const gvk = ext.find((e) => e.name === 'x-kubernetes-group-version-kind');
    expect(JSON.parse(gvk?.yaml ?? '{}')).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    const queryNames = sub(patch, 8)
      .map((item) => sub(sub(sub(item.bytes, 1)[0].bytes, 2)[0]?.bytes, 3)[0]?.bytes)
      .filter((q) => q)
      .map((q) => text(sub(q, 4)[0].bytes));
    expect(queryNames).toContain('fieldValidation');
  });

  it('encodes schemas with type, properties, items refs and vendor extensions', () => {
    const defs = sub(openapiV2Protobuf(), 9)[0].bytes;
    const podSpec = sub(defs, 1).find((d) => text(sub(d.bytes, 1)[0].bytes) === 'io.k8s.api.core.v1.PodSpec');
    const schema = sub(podSpec?.bytes, 2)[0].bytes;
    expect(text(sub(sub(schema, 22)[0].bytes, 1)[0].bytes)).toBe('object');
    expect(sub(schema, 19).map((f) => text(f.bytes))).toContain('containers');
    const props = sub(sub(schema, 25)[0].bytes, 1);
    const containers = props.find((p) => text(sub(p.bytes, 1)[0].bytes) === 'containers');
    const cs = sub(containers?.bytes, 2)[0].bytes;
    expect(text(sub(sub(cs, 22)[0].bytes, 1)[0].bytes)).toBe('array');
    const item = sub(sub(cs, 23)[0].bytes, 1)[0].bytes;
    expect(text(sub(item, 1)[0].bytes)).toBe('#/definitions/io.k8s.api.core.v1.Container');
    const ext = sub(cs, 31).map((e) => text(sub(e.bytes, 1)[0].bytes));
    expect(ext).toEqual(
      expect.arrayContaining(['x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy']),
    );
  });
});

describe('openapiResponse', () => {
  it('negotiates protobuf for /openapi/v2 with a media type clients can parse', () => {
    const res = openapiResponse('/openapi/v2', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
    expect(res?.contentType).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    expect(res?.body).toBeInstanceOf(Uint8Array);
    expect(openapiResponse('/openapi/v2', 'application/json')?.contentType).toBe('application/json');
  });

  it('serves the v3 root and documents, and nothing else', () => {
    expect(JSON.parse(String(openapiResponse('/openapi/v3')?.body)).paths['api/v1']).toBeDefined();
    expect(JSON.parse(String(openapiResponse('/openapi/v3/api/v1')?.body)).openapi).toBe('3.0.0');
    expect(openapiResponse('/openapi/v3/apis/nope/v1')).toBeUndefined();
    expect(openapiResponse('/api/v1')).toBeUndefined();
  });
});
