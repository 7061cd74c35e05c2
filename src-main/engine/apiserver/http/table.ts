import type { KubeObject } from '../../k8s-object';
import type { ObjectList } from '../object-api';
import type { ResourceDefinition } from '../registry/types';
import { badRequest } from '../status';

export type IncludeObject = 'None' | 'Object' | 'Metadata';

export function parseIncludeObject(value: string | null): IncludeObject {
  if (value === null || value === '') return 'Metadata';
  if (value === 'None' || value === 'Object' || value === 'Metadata') return value;
  throw badRequest(
    `includeObject: Unsupported value: "${value}": supported values: "Metadata", "None", "Object"`,
  );
}

export interface TableOptions {
  version: 'v1' | 'v1beta1';
  includeObject: IncludeObject;
  /** Leave out columnDefinitions (watch events after the first). */
  noHeaders?: boolean;
  now: Date;
}

export function partialObjectMetadata(obj: KubeObject, version: 'v1' | 'v1beta1'): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

export function partialObjectMetadataList(
  list: ObjectList,
  version: 'v1' | 'v1beta1',
): Record<string, unknown> {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: list.metadata,
    items: list.items.map((item) => partialObjectMetadata(item, version)),
  };
}

function rowObject(obj: KubeObject, options: TableOptions): KubeObject | undefined {
  if (options.includeObject === 'None') return undefined;
  if (options.includeObject === 'Object') return obj;
  return partialObjectMetadata(obj, options.version);
}

/** A `meta.k8s.io` Table with the kind's printer columns, one row per object. */
export function buildTable(
  def: ResourceDefinition,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  options: TableOptions,
): Record<string, unknown> {
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: listMeta,
    columnDefinitions: options.noHeaders ? null : def.table.columns,
    rows: objects.map((obj) => {
      const object = rowObject(obj, options);
      return { cells: def.table.cells(obj, { now: options.now }), ...(object ? { object } : {}) };
    }),
  };
}

/** The printer of autoscaling/v1 Scale (`kubectl get --subresource=scale`). */
export function scaleTableDefinition(def: ResourceDefinition): ResourceDefinition {
  const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
  return {
    ...def,
    table: {
      columns: [
        {
          name: 'Name',
          type: 'string',
          format: 'name',
          description: 'Name of the scaled object',
          priority: 0,
        },
        { name: 'Desired', type: 'integer', description: 'Desired replicas', priority: 0 },
        { name: 'Available', type: 'integer', description: 'Available replicas', priority: 0 },
      ],
      cells: (obj) => {
        const spec = (obj.spec ?? {}) as Record<string, unknown>;
        const status = (obj.status ?? {}) as Record<string, unknown>;
        return [obj.metadata.name, num(spec.replicas), num(status.replicas)];
      },
    },
  };
}
