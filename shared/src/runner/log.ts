import * as core from '@actions/core';
import { redact } from './secrets.ts';

/**
 * Logging through the runner's workflow commands, with every message passed through `redact` first:
 * the runner masks registered secrets in the log, but annotations and messages built from error
 * text are safer cleaned before they leave the process.
 */

export interface AnnotationLocation {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

export function info(message: string): void {
  core.info(redact(message));
}

export function debug(message: string): void {
  core.debug(redact(message));
}

export function warning(message: string, location: AnnotationLocation = {}): void {
  core.warning(redact(message), redactLocation(location));
}

export function error(message: string, location: AnnotationLocation = {}): void {
  core.error(redact(message), redactLocation(location));
}

export function notice(message: string, location: AnnotationLocation = {}): void {
  core.notice(redact(message), redactLocation(location));
}

/** Runs `fn` inside a collapsible log group, closing the group however `fn` ends. */
export async function group<T>(title: string, fn: () => Promise<T>): Promise<T> {
  core.startGroup(redact(title));
  try {
    return await fn();
  } finally {
    core.endGroup();
  }
}

function redactLocation(location: AnnotationLocation): AnnotationLocation {
  return location.title === undefined ? location : { ...location, title: redact(location.title) };
}
