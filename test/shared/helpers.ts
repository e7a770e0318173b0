import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';

/** Helpers shared by the core library's unit tests: captured stdout, temp dirs and runner file commands. */

export interface Captured {
  /** Everything written since the capture started (or since the last `clear`). */
  text(): string;
  clear(): void;
  restore(): void;
}

/** Replaces `stream.write` with a recorder, so workflow commands can be asserted on. */
export function capture(stream: NodeJS.WriteStream = process.stdout): Captured {
  let written = '';
  const spy = jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array): boolean => {
    written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  return {
    text: () => written,
    clear: () => {
      written = '';
    },
    restore: () => spy.mockRestore(),
  };
}

export interface TempDir {
  path: string;
  /** Creates an empty file in the directory and returns its path. */
  file(name: string, content?: string): string;
  remove(): void;
}

export function tempDir(prefix = 'gantry-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name, content = '') => {
      const file = join(path, name);
      writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/**
 * Parses a GITHUB_OUTPUT / GITHUB_STATE file the way the runner does: `name<<delimiter` heredocs
 * (what @actions/core writes) and plain `name=value` lines.
 */
export function readFileCommands(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const values: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`unterminated value for ${name} in ${file}`);
      values[name] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`unparseable line in ${file}: ${line}`);
    values[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return values;
}

/** Sets environment variables for one test; the returned function puts the old values back. */
export function setEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (entries: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(saved);
}

/** A clock tests move by hand. */
export class FakeClock {
  time: number;
  constructor(start = 1_000_000) {
    this.time = start;
  }
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}
