import type { KubeObject } from '../../k8s-object';
import type { ObjectApi } from '../../apiserver/object-api';
import type { Clock } from './clock';

const EVENTS = { group: '', version: 'v1', resource: 'events' };

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  component: string;
  host?: string;
}

/**
 * Records core/v1 Events the way Kubernetes' event recorder does: the same event (object,
 * type, reason, message, source) repeated within the series window bumps `count` and
 * `lastTimestamp` instead of creating a new object. Recording never throws: events are
 * best-effort and must not fail the reconcile that reports them.
 */
export class EventRecorder {
  private readonly series = new Map<string, { namespace: string; name: string }>();

  constructor(
    private readonly api: ObjectApi,
    private readonly source: EventSource,
    private readonly clock: Clock,
  ) {}

  record(involved: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const namespace = involved.metadata.namespace || 'default';
    const seriesKey = [involved.metadata.uid, type, reason, message, fieldPath ?? ''].join('\u0000');
    const now = this.clock
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    const existing = this.series.get(seriesKey);
    try {
      if (existing) {
        const current = this.api.get(EVENTS, existing.namespace, existing.name);
        this.api.patch(EVENTS, existing.namespace, existing.name, 'merge', {
          count: ((current.count as number | undefined) ?? 1) + 1,
          lastTimestamp: now,
        });
        return;
      }
    } catch {
      // The event was deleted (or expired): record a fresh one below.
    }
    const name = `${involved.metadata.name}.${(this.clock.now().getTime() * 1e6 + Math.floor(Math.random() * 1e6)).toString(16)}`;
    try {
      this.api.create(EVENTS, namespace, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: involved.apiVersion,
          kind: involved.kind,
          name: involved.metadata.name,
          namespace: involved.metadata.namespace,
          uid: involved.metadata.uid,
          resourceVersion: involved.metadata.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        type,
        source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
        reportingComponent: this.source.component,
        reportingInstance: this.source.host ?? '',
        firstTimestamp: now,
        lastTimestamp: now,
        eventTime: null,
        count: 1,
      });
      this.series.set(seriesKey, { namespace, name });
      if (this.series.size > 4096) this.series.delete(this.series.keys().next().value as string);
    } catch {
      // Namespace terminating or the API shutting down: the event is dropped, as upstream.
    }
  }
}
