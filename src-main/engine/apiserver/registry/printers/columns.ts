import type { KubeObject } from '../../../k8s-object';
import type { TableColumn } from '../types';
import { translateTimestampSince } from './duration';

/** metav1.ObjectMeta's Swagger description of `name`, the Name column's description. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** metav1.ObjectMeta's Swagger description of `creationTimestamp`, the Age column's description. */
export const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** The `Name` column every printer starts with. */
export const nameColumn = (): TableColumn => ({
  name: 'Name',
  type: 'string',
  format: 'name',
  description: NAME_DESCRIPTION,
  priority: 0,
});

/** The `Age` column. */
export const ageColumn = (): TableColumn => ({
  name: 'Age',
  type: 'string',
  description: AGE_DESCRIPTION,
  priority: 0,
});

/** A column, priority 0 unless `wide`. */
export function column(
  name: string,
  type: TableColumn['type'],
  description: string,
  options: { wide?: boolean; format?: string } = {},
): TableColumn {
  return {
    name,
    type,
    ...(options.format ? { format: options.format } : {}),
    description,
    priority: options.wide ? 1 : 0,
  };
}

/**
 * The wide Containers and Images columns of every printer of an object that owns a pod template
 * (filled by `templateContainerCells`).
 */
export const templateContainerColumns = (): TableColumn[] => [
  column('Containers', 'string', 'Names of each container in the template.', { wide: true }),
  column('Images', 'string', 'Images referenced by each container in the template.', { wide: true }),
];

/** The object's name cell. */
export function nameCell(obj: KubeObject): string {
  return obj.metadata?.name ?? '';
}

/** The object's Age cell (`<unknown>` without a creationTimestamp). */
export function ageCell(obj: KubeObject, now: Date): string {
  return translateTimestampSince(obj.metadata?.creationTimestamp, now);
}
