import { EOL } from 'node:os';

/**
 * The runner's stdout protocol, `::command key=value,key=value::message`, written byte for byte as
 * @actions/core writes it (its command.ts and utils.ts), so that Gantry needs no @actions/core: that
 * package imports @actions/http-client and with it all of undici, 100-200 ms of every action's start
 * for an HTTP client the commands never use.
 */

export type CommandProperties = Record<string, string | number | undefined>;

/** Where an annotation points, as log.ts takes it; @actions/core calls this AnnotationProperties. */
export interface AnnotationLocation {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

/** A value as a command carries it: strings as they are, nothing as '', anything else as JSON. */
export function commandValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || value instanceof String) return String(value);
  return JSON.stringify(value);
}

/** The message: `%`, CR and LF escaped, or the runner would end the command at the line break. */
export function escapeData(value: unknown): string {
  return commandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also `:` and `,`, which would end the value or the property list. */
export function escapeProperty(value: unknown): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One command line without its line ending. As in @actions/core, properties with an empty value
 * (undefined, '', 0) are left out, but a properties object with any key at all still puts the space
 * after the command name (`::warning ::text`), which the runner reads the same as `::warning::text`.
 */
export function formatCommand(command: string, properties: CommandProperties, message: unknown): string {
  let text = `::${command || 'missing.command'}`;
  const keys = Object.keys(properties);
  if (keys.length > 0) {
    const pairs = keys
      .filter((key) => properties[key])
      .map((key) => `${key}=${escapeProperty(properties[key])}`);
    text += ` ${pairs.join(',')}`;
  }
  return `${text}::${escapeData(message)}`;
}

export function issueCommand(command: string, properties: CommandProperties, message: unknown): void {
  process.stdout.write(formatCommand(command, properties, message) + EOL);
}

/** The runner's names for an annotation's location; none at all when the location is empty. */
export function annotationProperties(location: AnnotationLocation): CommandProperties {
  if (Object.keys(location).length === 0) return {};
  return {
    title: location.title,
    file: location.file,
    line: location.startLine,
    endLine: location.endLine,
    col: location.startColumn,
    endColumn: location.endColumn,
  };
}

/** A plain log line (`core.info`). */
export function writeLine(message: string): void {
  process.stdout.write(message + EOL);
}

export function annotate(
  level: 'error' | 'warning' | 'notice',
  message: string,
  location: AnnotationLocation = {},
): void {
  issueCommand(level, annotationProperties(location), message);
}

/** `::add-mask::`: the runner replaces the value with *** in the log from now on. */
export function setSecret(value: string): void {
  issueCommand('add-mask', {}, value);
}

/** Marks the step failed (exit code 1) and reports why as an error annotation, as `core.setFailed`. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  annotate('error', message);
}
