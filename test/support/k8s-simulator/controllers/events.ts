import type { ObjectService } from '../api/object-service.ts';
import { clone, type JsonObject } from '../store/json.ts';
import { timestamp } from '../store/time.ts';
import { EVENTS } from './context.ts';
import { metadataOf, nameOf, namespaceOf, uidOf } from './objects.ts';

/**
 * core/v1 Events as controllers, the scheduler and the kubelet record them: one object per
 * occurrence, and a repeat of the same reason and message on the same object bumps `count` and
 * `lastTimestamp` instead, as the client-go event correlator does.
 */

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder {
  private readonly objects: ObjectService;
  private sequence = 0;
  /** The event each (object, reason, message, source) was last recorded as, to count repeats. */
  private readonly recorded = new Map<string, { namespace: string; name: string }>();

  constructor(objects: ObjectService) {
    this.objects = objects;
  }

  record(
    involved: JsonObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const namespace = namespaceOf(involved) || 'default';
    const now = timestamp();
    const uid = uidOf(involved);
    const key = JSON.stringify([uid, reason, message, source.component]);
    const previous = this.recorded.get(key);
    const existing = previous && this.objects.get(EVENTS, previous.namespace, previous.name);
    if (existing) {
      const repeated = clone(existing);
      repeated.count = Number(existing.count ?? 1) + 1;
      repeated.lastTimestamp = now;
      this.objects.update(EVENTS, repeated, { manager: source.component });
      return;
    }
    this.sequence += 1;
    const suffix = (BigInt(Date.now()) * 1_000_000n + BigInt(this.sequence)).toString(16);
    const involvedObject: JsonObject = {
      kind: String(involved.kind),
      namespace: namespaceOf(involved),
      name: nameOf(involved),
      uid,
      apiVersion: String(involved.apiVersion),
      resourceVersion: String(metadataOf(involved).resourceVersion ?? ''),
    };
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    const eventName = `${nameOf(involved)}.${suffix}`;
    this.recorded.set(key, { namespace, name: eventName });
    this.objects.create(
      EVENTS,
      {
        metadata: { name: eventName, namespace },
        involvedObject,
        reason,
        message,
        source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      },
      { manager: source.component },
    );
  }
}
