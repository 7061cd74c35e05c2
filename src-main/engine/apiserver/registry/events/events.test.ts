import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s-object';
import { coreEventToEventsV1, eventsV1ToCore } from './event-conversion';
import { eventsV1Definition as def } from './events';

const now = new Date('2024-05-01T12:00:00Z');

function event(fields: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'web.17a', namespace: 'default' },
    eventTime: '2024-05-01T11:59:00.000000Z',
    reportingController: 'kubedesk.io/scheduler',
    reportingInstance: 'scheduler-1',
    action: 'Binding',
    reason: 'Scheduled',
    type: 'Normal',
    note: 'Successfully assigned default/web to node-1',
    regarding: { kind: 'Pod', namespace: 'default', name: 'web' },
    ...fields,
  };
}

const errors = (obj: KubeObject, old?: KubeObject) =>
  (def.validate?.(obj, old) ?? []).map((e) => `${e.field}: ${e.message}`);

describe('events.k8s.io/v1 Event', () => {
  it('accepts a complete event and rejects the deprecated fields', () => {
    expect(errors(event())).toEqual([]);
    expect(errors(event({ type: 'Info', deprecatedCount: 3, reportingInstance: undefined }))).toEqual([
      'reportingInstance: Required value',
      'type: Invalid value: "": has invalid value: Info',
      'deprecatedCount: Invalid value: "": needs to be unset',
    ]);
    expect(errors(event({ eventTime: undefined }))).toEqual(['eventTime: Required value']);
  });

  it('keeps the note immutable', () => {
    expect(errors(event({ note: 'changed' }), event())).toEqual([
      'message: Invalid value: "changed": field is immutable',
    ]);
  });

  it('prints like core events', () => {
    expect(def.shortNames).toEqual(['ev']);
    expect(def.table.columns.map((c) => c.name).slice(0, 4)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
    ]);
    expect(def.table.cells(event(), { now }).slice(0, 7)).toEqual([
      '60s',
      'Normal',
      'Scheduled',
      'pod/web',
      '',
      'kubedesk.io/scheduler, scheduler-1',
      'Successfully assigned default/web to node-1',
    ]);
  });

  it('converts to and from core events', () => {
    const core = eventsV1ToCore(event());
    expect(core).toMatchObject({
      apiVersion: 'v1',
      message: 'Successfully assigned default/web to node-1',
      involvedObject: { name: 'web' },
    });
    expect(coreEventToEventsV1(core)).toEqual(event());
  });
});
