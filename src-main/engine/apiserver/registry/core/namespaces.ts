import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition } from '../types';
import { ageCell, ageColumn, column, nameColumn } from '../printers';
import { isQualifiedName, nameIsDnsLabel, validateObjectMeta, validateObjectMetaUpdate } from '../validation';
import { coreSubresource, ensureRecord, fieldAt, rec, specOf, statusSubresource, str } from './common';

/** The label every namespace carries with its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** The finalizer the namespace controller removes once a namespace is empty. */
export const KUBERNETES_FINALIZER = 'kubernetes';

function validateSpecFinalizers(finalizers: unknown): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(finalizers) ? finalizers : []).forEach((finalizer) => {
    const value = String(finalizer);
    const msgs = isQualifiedName(value);
    for (const msg of msgs) errs.push(fieldErrors.invalid('spec.finalizers', value, msg));
    if (msgs.length === 0 && !value.includes('/') && value !== KUBERNETES_FINALIZER) {
      errs.push(
        fieldErrors.invalid(
          'spec.finalizers',
          value,
          'name is neither a standard finalizer name nor is it fully qualified',
        ),
      );
    }
  });
  return errs;
}

function validateNamespace(ns: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(ns.metadata, old.metadata)
    : validateObjectMeta(ns.metadata, { namespaced: false, name: nameIsDnsLabel });
  errs.push(...validateSpecFinalizers(rec(ns.spec).finalizers));
  const phase = str(rec(ns.status).phase);
  if (phase && phase !== 'Active' && phase !== 'Terminating') {
    errs.push(fieldErrors.notSupported('status.phase', phase, ['Active', 'Terminating']));
  }
  return errs;
}

/**
 * core/v1 namespaces (cluster-scoped). spec.finalizers only change through `/finalize`; the
 * generic storage keeps them on main-resource updates, since only it knows the subresource.
 */
export const namespacesResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [coreSubresource('finalize', 'Namespace', ['update']), statusSubresource('Namespace')],
  hasStatusSubresource: true,
  applyDefaults(ns) {
    if (ns.metadata.name) {
      ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: ns.metadata.name };
    }
    const status = ensureRecord(ns, 'status');
    if (!str(status.phase)) status.phase = 'Active';
  },
  validate: validateNamespace,
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    const spec = specOf(ns);
    const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers.map(String) : [];
    if (!finalizers.includes(KUBERNETES_FINALIZER)) finalizers.push(KUBERNETES_FINALIZER);
    spec.finalizers = finalizers;
  },
  table: {
    columns: [nameColumn(), column('Status', 'string', 'The status of the namespace'), ageColumn()],
    cells: (ns, context) => [ns.metadata.name ?? '', str(rec(ns.status).phase), ageCell(ns, context.now)],
  },
  fieldSelectors: { 'status.phase': fieldAt(['status', 'phase']) },
};
