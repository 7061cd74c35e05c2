import type { KubeObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import type { ResourceDefinition, TableContext } from '../types';
import { column, nameColumn, swaggerDoc, translateTimestampSince } from '../printers';
import {
  isDns1123Subdomain,
  isQualifiedName,
  nameIsDnsSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation';
import { STANDARD_VERBS, fieldAt, num, rec, str } from './common';

function validateEvent(event: KubeObject, old?: KubeObject): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(event.metadata, old.metadata)
    : validateObjectMeta(event.metadata, { namespaced: true, name: nameIsDnsSubdomain });
  const namespace = event.metadata.namespace ?? '';
  const involved = rec(event.involvedObject);
  const involvedNamespace = str(involved.namespace);
  const mismatch = (): FieldError =>
    fieldErrors.invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
  if (!event.eventTime) {
    if (!involvedNamespace) {
      if (namespace !== '' && namespace !== 'default') errs.push(mismatch());
    } else if (namespace !== involvedNamespace) {
      errs.push(mismatch());
    }
  } else {
    if (!involvedNamespace && namespace !== 'default' && namespace !== 'kube-system') errs.push(mismatch());
    const controller = str(event.reportingComponent);
    if (!controller) errs.push(fieldErrors.required('reportingComponent'));
    for (const msg of isQualifiedName(controller))
      errs.push(fieldErrors.invalid('reportingComponent', controller, msg));
    const limits: [string, number][] = [
      ['reportingInstance', 128],
      ['action', 128],
      ['reason', 128],
    ];
    for (const [field, max] of limits) {
      const value = str(event[field]);
      if (!value) errs.push(fieldErrors.required(field));
      if (value.length > max) errs.push(fieldErrors.invalid(field, '', `can have at most ${max} characters`));
    }
    if (str(event.message).length > 1024)
      errs.push(fieldErrors.invalid('message', '', 'can have at most 1024 characters'));
  }
  for (const msg of isDns1123Subdomain(namespace))
    errs.push(fieldErrors.invalid('namespace', namespace, msg));
  return errs;
}

/** `component, host` with the reporting controller/instance as fallbacks (formatEventSource). */
export function formatEventSource(event: KubeObject): string {
  const source = rec(event.source);
  const component = str(source.component) || str(event.reportingComponent);
  const host = str(source.host) || str(event.reportingInstance);
  return host ? `${component}, ${host}` : component;
}

function eventCells(event: KubeObject, context: TableContext): unknown[] {
  const first = event.firstTimestamp
    ? translateTimestampSince(event.firstTimestamp, context.now)
    : translateTimestampSince(event.eventTime, context.now);
  let last = event.lastTimestamp ? translateTimestampSince(event.lastTimestamp, context.now) : first;
  const series = event.series ? rec(event.series) : undefined;
  let count = num(event.count) ?? 0;
  if (series) {
    last = translateTimestampSince(series.lastObservedTime, context.now);
    count = num(series.count) ?? 0;
  } else if (count === 0) {
    count = 1;
  }
  const involved = rec(event.involvedObject);
  const kind = str(involved.kind).toLowerCase();
  const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
  return [
    last,
    str(event.type),
    str(event.reason),
    target,
    str(involved.fieldPath),
    formatEventSource(event),
    str(event.message).trim(),
    first,
    count,
    event.metadata.name ?? '',
  ];
}

/** core/v1 events (the legacy Event API kubectl get events reads). */
export const eventsResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  verbs: STANDARD_VERBS,
  subresources: [],
  hasStatusSubresource: false,
  validate: validateEvent,
  table: {
    columns: [
      column('Last Seen', 'string', swaggerDoc('CoreV1Event', 'lastTimestamp')),
      column('Type', 'string', swaggerDoc('CoreV1Event', 'type')),
      column('Reason', 'string', swaggerDoc('CoreV1Event', 'reason')),
      column('Object', 'string', swaggerDoc('CoreV1Event', 'involvedObject')),
      column('Subobject', 'string', swaggerDoc('V1ObjectReference', 'fieldPath'), { wide: true }),
      column('Source', 'string', swaggerDoc('CoreV1Event', 'source'), { wide: true }),
      column('Message', 'string', swaggerDoc('CoreV1Event', 'message')),
      column('First Seen', 'string', swaggerDoc('CoreV1Event', 'firstTimestamp'), { wide: true }),
      column('Count', 'string', swaggerDoc('CoreV1Event', 'count'), { wide: true }),
      { ...nameColumn(), priority: 1 },
    ],
    cells: eventCells,
  },
  fieldSelectors: {
    'involvedObject.kind': fieldAt(['involvedObject', 'kind']),
    'involvedObject.namespace': fieldAt(['involvedObject', 'namespace']),
    'involvedObject.name': fieldAt(['involvedObject', 'name']),
    'involvedObject.uid': fieldAt(['involvedObject', 'uid']),
    'involvedObject.apiVersion': fieldAt(['involvedObject', 'apiVersion']),
    'involvedObject.resourceVersion': fieldAt(['involvedObject', 'resourceVersion']),
    'involvedObject.fieldPath': fieldAt(['involvedObject', 'fieldPath']),
    reason: fieldAt(['reason']),
    reportingComponent: fieldAt(['reportingComponent']),
    source: fieldAt(['source', 'component']),
    type: fieldAt(['type']),
  },
};
