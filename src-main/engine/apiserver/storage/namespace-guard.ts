import { isPlainObject } from '../../k8s-object';
import type { KeyValueStore } from '../../store/types';
import type { ResourceDefinition } from '../registry/types';
import { ApiError, notFound } from '../status';
import { objectKey } from './keys';
import { decodeRecord } from './list';

/**
 * Creating in a namespace needs the namespace to exist (404 `namespaces "x" not found`) and
 * not be terminating (403 Forbidden, cause NamespaceTerminating), as Kubernetes' namespace
 * lifecycle admission answers.
 */
export function checkNamespaceWritable(
  store: KeyValueStore,
  def: ResourceDefinition,
  namespace: string | undefined,
  name: string | undefined,
): void {
  const nsDef: Pick<ResourceDefinition, 'group' | 'plural' | 'namespaced'> = {
    group: '',
    plural: 'namespaces',
    namespaced: false,
  };
  const record = store.get(objectKey(nsDef, undefined, namespace ?? ''));
  if (!record) {
    throw notFound({ resource: 'namespaces', group: '', name: namespace });
  }
  const nsObj = decodeRecord(record);
  const phase = isPlainObject(nsObj.status) ? nsObj.status.phase : undefined;
  if (nsObj.metadata.deletionTimestamp || phase === 'Terminating') {
    const what = `${def.group ? `${def.plural}.${def.group}` : def.plural}${name ? ` "${name}"` : ''}`;
    throw new ApiError(
      403,
      'Forbidden',
      `${what} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      {
        name,
        group: def.group || undefined,
        kind: def.plural,
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      },
    );
  }
}
