import { invalidParameter } from '../core/input.ts';
import type { LogEvent } from './state.ts';

/**
 * How GetLogEvents pages through a stream, with tokens shaped like the real ones
 * (`f/<56 digits>/s`, `b/<56 digits>/s`): a token marks a place between two events (by timestamp,
 * then arrival), so reading on from a forward token returns only what arrived since, and at the end
 * of the stream the same token comes back: the signal that followers of a running task's log poll on.
 */

export interface StreamWindow {
  /** Inclusive, epoch ms. */
  startTime?: number;
  /** Exclusive, epoch ms. */
  endTime?: number;
  limit: number;
  startFromHead: boolean;
  nextToken?: string;
}

export interface StreamPage {
  events: LogEvent[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

interface Place {
  timestamp: number;
  sequence: number;
}

export function readStream(events: LogEvent[], window: StreamWindow): StreamPage {
  const inWindow = events.filter(
    (event) =>
      (window.startTime === undefined || event.timestamp >= window.startTime) &&
      (window.endTime === undefined || event.timestamp < window.endTime),
  );
  const token = window.nextToken === undefined ? undefined : parseToken(window.nextToken);
  // With no token, an empty page leaves both tokens at the window's start, so following works.
  const origin: Place = token?.place ?? { timestamp: window.startTime ?? 0, sequence: 0 };
  let page: LogEvent[];
  if (token?.forward === true) {
    page = inWindow.filter((event) => compare(event, origin) > 0).slice(0, window.limit);
  } else if (token?.forward === false) {
    page = inWindow.filter((event) => compare(event, origin) < 0).slice(-window.limit);
  } else {
    page = window.startFromHead ? inWindow.slice(0, window.limit) : inWindow.slice(-window.limit);
  }
  const first = page[0];
  const last = page.at(-1);
  return {
    events: page,
    nextForwardToken: last ? formatToken('f', last) : (window.nextToken ?? formatToken('f', origin)),
    nextBackwardToken: first ? formatToken('b', first) : (window.nextToken ?? formatToken('b', origin)),
  };
}

/** The 56-digit form of an event's place, used in tokens and as FilterLogEvents' `eventId`. */
export function eventKey(place: Place): string {
  return `${String(place.timestamp).padStart(20, '0')}${String(place.sequence).padStart(36, '0')}`;
}

export function compare(event: Place, place: Place): number {
  return event.timestamp - place.timestamp || event.sequence - place.sequence;
}

/** A place from `eventKey`'s digits; undefined when they are not a key. */
export function parseKey(digits: string): Place | undefined {
  if (!/^\d{56}$/.test(digits)) return undefined;
  return { timestamp: Number(digits.slice(0, 20)), sequence: Number(digits.slice(20)) };
}

function formatToken(direction: 'f' | 'b', place: Place): string {
  return `${direction}/${eventKey(place)}/s`;
}

function parseToken(token: string): { forward: boolean; place: Place } {
  const match = /^([fb])\/(\d{56})\/s$/.exec(token);
  const place = match ? parseKey(match[2]!) : undefined;
  if (!match || !place) throw invalidParameter('The specified nextToken is invalid.');
  return { forward: match[1] === 'f', place };
}
