import { redact } from './secrets.ts';
import { annotate, issueCommand, writeLine, type AnnotationLocation } from './workflow-commands.ts';

/**
 * Logging through the runner's workflow commands, with every message passed through `redact` first:
 * the runner masks registered secrets in the log, but annotations and messages built from error
 * text are safer cleaned before they leave the process.
 */

export type { AnnotationLocation };

export function info(message: string): void {
  writeLine(redact(message));
}

export function debug(message: string): void {
  issueCommand('debug', {}, redact(message));
}

export function warning(message: string, location: AnnotationLocation = {}): void {
  annotate('warning', redact(message), redactLocation(location));
}

export function error(message: string, location: AnnotationLocation = {}): void {
  annotate('error', redact(message), redactLocation(location));
}

export function notice(message: string, location: AnnotationLocation = {}): void {
  annotate('notice', redact(message), redactLocation(location));
}

/** Runs `fn` inside a collapsible log group, closing the group however `fn` ends. */
export async function group<T>(title: string, fn: () => Promise<T>): Promise<T> {
  issueCommand('group', {}, redact(title));
  try {
    return await fn();
  } finally {
    issueCommand('endgroup', {}, '');
  }
}

function redactLocation(location: AnnotationLocation): AnnotationLocation {
  return location.title === undefined ? location : { ...location, title: redact(location.title) };
}
