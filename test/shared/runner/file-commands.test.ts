import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { getState, keyValueMessage, saveState, setOutput } from '../../../shared/src/runner/file-commands.ts';
import { capture, readFileCommands, setEnv, tempDir, type TempDir } from '../helpers.ts';

/**
 * GITHUB_OUTPUT and GITHUB_STATE as Gantry writes them, compared byte for byte with @actions/core
 * (in node_modules for this comparison); only the random delimiter differs from run to run.
 */

const TRICKY = [
  'plain',
  '',
  'line 1\nline 2',
  'windows\r\nline',
  'lone\rcarriage return',
  'trailing newline\n',
  '\n',
  '100% done, %25 and %0A',
  'key: value, other: thing',
  'name<<EOF\nEOF',
  'ghadelimiter_not-the-real-one',
  '::set-output name=x::injected',
  'unicode: é ü 日本語 🚀 \u200b \u202e',
];

const DELIMITER = /ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

let dir: TempDir;
let restoreEnv: (() => void) | undefined;

beforeAll(() => {
  dir = tempDir();
});

afterEach(() => {
  restoreEnv?.();
  restoreEnv = undefined;
});

afterAll(() => {
  dir.remove();
});

/** The file `write` appends to GITHUB_<command>, with its delimiters replaced by one placeholder. */
function fileWritten(command: 'OUTPUT' | 'STATE', write: () => void): string {
  const file = dir.file(`${command}-${Math.random().toString(36).slice(2)}`);
  restoreEnv?.();
  restoreEnv = setEnv({ [`GITHUB_${command}`]: file });
  write();
  const text = readFileSync(file, 'utf8');
  expect(text.match(DELIMITER)?.length).toBe(2);
  return text.replace(DELIMITER, 'ghadelimiter_UUID');
}

/** What `write` puts on stdout when the runner gives no file. */
function stdoutWritten(command: 'OUTPUT' | 'STATE', write: () => void): string {
  restoreEnv?.();
  restoreEnv = setEnv({ [`GITHUB_${command}`]: undefined });
  const stdout = capture();
  try {
    write();
    return stdout.text();
  } finally {
    stdout.restore();
  }
}

describe('setOutput, byte for byte as @actions/core', () => {
  it.each(TRICKY)('to GITHUB_OUTPUT: %j', (value) => {
    const reference = fileWritten('OUTPUT', () => core.setOutput('my-output', value));
    expect(fileWritten('OUTPUT', () => setOutput('my-output', value))).toBe(reference);
  });

  it.each(TRICKY)('as ::set-output without GITHUB_OUTPUT: %j', (value) => {
    const reference = stdoutWritten('OUTPUT', () => core.setOutput('my-output', value));
    expect(stdoutWritten('OUTPUT', () => setOutput('my-output', value))).toBe(reference);
  });

  it('reads back as the runner parses it', () => {
    const file = dir.file('read-back');
    restoreEnv = setEnv({ GITHUB_OUTPUT: file });
    setOutput('a', 'line 1\nline 2');
    setOutput('b', '');
    expect(readFileCommands(file)).toEqual({ a: 'line 1\nline 2', b: '' });
  });

  it('refuses, as @actions/core, a GITHUB_OUTPUT file that does not exist', () => {
    restoreEnv = setEnv({ GITHUB_OUTPUT: `${dir.path}/missing` });
    expect(() => core.setOutput('a', 'b')).toThrow(`Missing file at path: ${dir.path}/missing`);
    expect(() => setOutput('a', 'b')).toThrow(`Missing file at path: ${dir.path}/missing`);
  });
});

describe('saveState and getState, byte for byte as @actions/core', () => {
  it.each(TRICKY)('to GITHUB_STATE: %j', (value) => {
    const reference = fileWritten('STATE', () => core.saveState('my-state', value));
    expect(fileWritten('STATE', () => saveState('my-state', value))).toBe(reference);
  });

  it.each(TRICKY)('as ::save-state without GITHUB_STATE: %j', (value) => {
    const reference = stdoutWritten('STATE', () => core.saveState('my-state', value));
    expect(stdoutWritten('STATE', () => saveState('my-state', value))).toBe(reference);
  });

  it.each([
    ['a saved value', 'value\nwith lines'],
    ['an empty value', ''],
    ['nothing saved', undefined],
  ])('getState reads %s as @actions/core', (_label, value) => {
    restoreEnv = setEnv({ 'STATE_my-state': value });
    expect(getState('my-state')).toBe(core.getState('my-state'));
    expect(getState('my-state')).toBe(value ?? '');
  });
});

describe('keyValueMessage', () => {
  it('writes name<<delimiter, the value and the delimiter on lines of their own', () => {
    expect(keyValueMessage('out', 'a\nb', 'ghadelimiter_X')).toBe(
      'out<<ghadelimiter_X\na\nb\nghadelimiter_X',
    );
  });

  it('uses a fresh random delimiter every time', () => {
    const first = keyValueMessage('a', 'b').match(DELIMITER)?.[0];
    const second = keyValueMessage('a', 'b').match(DELIMITER)?.[0];
    expect(first).toBeDefined();
    expect(first).not.toBe(second);
  });

  it('refuses a value that holds the delimiter, which would end the heredoc early', () => {
    expect(() => keyValueMessage('out', 'x\nghadelimiter_X\ninjected=1', 'ghadelimiter_X')).toThrow(
      'Unexpected input: value should not contain the delimiter "ghadelimiter_X"',
    );
  });

  it('refuses a name that holds the delimiter', () => {
    expect(() => keyValueMessage('a ghadelimiter_X', 'v', 'ghadelimiter_X')).toThrow(
      'Unexpected input: name should not contain the delimiter "ghadelimiter_X"',
    );
  });
});
