import type { KubeObject } from '../../../k8s-object';
import { isPlainObject } from '../../../k8s-object';
import { fieldErrors } from '../../status';
import type { FieldError } from '../../status';
import { fieldAt, num, rec, str } from '../core/common';
import { eventsResource } from '../core/events';
import { STANDARD_VERBS, validateMeta } from '../apps/definition-helpers';
import type { ResourceDefinition } from '../types';
import { isDns1123Subdomain, isQualifiedName, validateImmutable } from '../validation';
import { eventsV1ToCore } from './event-conversion';

const LIMITS: ReadonlyArray<readonly [string, string, number]> = [
  ['reportingInstance', 'reportingInstance', 128],
  ['action', 'action', 128],
  ['reason', 'reason', 128],
];
const NOTE_LIMIT = 1024;

/**
 * ValidateEventCreate for events.k8s.io/v1 (the strict rules). Field paths use Kubernetes'
 * internal names where it does (`involvedObject.namespace`, `message`).
 */
function validateCreate(event: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const namespace = event.metadata.namespace ?? '';
  if (event.eventTime) {
    const regardingNamespace = str(rec(event.regarding).namespace);
    if (!regardingNamespace && namespace !== 'default' && namespace !== 'kube-system') {
      errs.push(
        fieldErrors.invalid('involvedObject.namespace', regardingNamespace, 'does not match event.namespace'),
      );
    }
    const controller = str(event.reportingController);
    if (!controller) errs.push(fieldErrors.required('reportingController'));
    for (const msg of isQualifiedName(controller))
      errs.push(fieldErrors.invalid('reportingController', controller, msg));
    for (const [key, path, max] of LIMITS) {
      const value = str(event[key]);
      if (!value) errs.push(fieldErrors.required(path));
      if (value.length > max) errs.push(fieldErrors.invalid(path, '', `can have at most ${max} characters`));
    }
    if (str(event.note).length > NOTE_LIMIT) {
      errs.push(fieldErrors.invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
    }
  }
  for (const msg of isDns1123Subdomain(namespace))
    errs.push(fieldErrors.invalid('namespace', namespace, msg));
  errs.push(...validateMeta(event, undefined, true));
  if (isPlainObject(event.series)) {
    if ((num(event.series.count) ?? 0) < 2)
      errs.push(fieldErrors.invalid('series.count', '', 'should be at least 2'));
    if (!event.series.lastObservedTime) errs.push(fieldErrors.required('series.lastObservedTime'));
  }
  if (!event.eventTime) errs.push(fieldErrors.required('eventTime'));
  if (event.type !== 'Normal' && event.type !== 'Warning') {
    errs.push(fieldErrors.invalid('type', '', `has invalid value: ${str(event.type)}`));
  }
  if (event.deprecatedFirstTimestamp)
    errs.push(fieldErrors.invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (event.deprecatedLastTimestamp)
    errs.push(fieldErrors.invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
  if ((num(event.deprecatedCount) ?? 0) !== 0)
    errs.push(fieldErrors.invalid('deprecatedCount', '', 'needs to be unset'));
  const source = rec(event.deprecatedSource);
  if (str(source.component) !== '' || str(source.host) !== '') {
    errs.push(fieldErrors.invalid('deprecatedSource', '', 'needs to be unset'));
  }
  return errs;
}

/** Fields an update may not change: [events.k8s.io field, path Kubernetes reports]. */
const IMMUTABLE: ReadonlyArray<readonly [string, string]> = [
  ['regarding', 'involvedObject'],
  ['reason', 'reason'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['type', 'type'],
  ['eventTime', 'eventTime'],
  ['action', 'action'],
  ['related', 'related'],
  ['reportingController', 'reportingController'],
  ['reportingInstance', 'reportingInstance'],
];

/** ValidateEventCreate / ValidateEventUpdate for events.k8s.io/v1. */
export function validateEventsV1(event: KubeObject, old?: KubeObject): FieldError[] {
  if (!old) return validateCreate(event);
  const errs = validateMeta(event, old, true);
  for (const [key, path] of IMMUTABLE) errs.push(...validateImmutable(event[key], old[key], path));
  return errs;
}

/** events.k8s.io/v1 Event, printed like core events. */
export const eventsV1Definition: ResourceDefinition = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  verbs: [...STANDARD_VERBS],
  subresources: [],
  hasStatusSubresource: false,
  validate: validateEventsV1,
  table: {
    columns: eventsResource.table.columns,
    cells: (obj, context) => eventsResource.table.cells(eventsV1ToCore(obj), context),
  },
  fieldSelectors: {
    'regarding.kind': fieldAt(['regarding', 'kind']),
    'regarding.namespace': fieldAt(['regarding', 'namespace']),
    'regarding.name': fieldAt(['regarding', 'name']),
    'regarding.uid': fieldAt(['regarding', 'uid']),
    'regarding.apiVersion': fieldAt(['regarding', 'apiVersion']),
    'regarding.resourceVersion': fieldAt(['regarding', 'resourceVersion']),
    'regarding.fieldPath': fieldAt(['regarding', 'fieldPath']),
    reason: fieldAt(['reason']),
    reportingController: fieldAt(['reportingController']),
    type: fieldAt(['type']),
  },
};
