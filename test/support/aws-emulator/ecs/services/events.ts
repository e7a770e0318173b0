import { randomUUID } from 'node:crypto';
import type { EcsService } from '../model.ts';

/**
 * Service events as DescribeServices returns them: the newest first, at most 100, each message
 * prefixed `(service <name>)` as ECS writes them, e.g. `(service web) has reached a steady state.`
 */

const MAX_EVENTS = 100;

export function addEvent(service: EcsService, message: string, at: number): void {
  service.events.unshift({
    id: randomUUID(),
    createdAt: at,
    message: `(service ${service.name}) ${message}`,
  });
  service.events.length = Math.min(service.events.length, MAX_EVENTS);
}
