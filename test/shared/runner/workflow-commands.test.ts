import * as core from '@actions/core';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import * as log from '../../../shared/src/runner/log.ts';
import {
  annotate,
  formatCommand,
  setFailed,
  setSecret,
  writeLine,
  type AnnotationLocation,
} from '../../../shared/src/runner/workflow-commands.ts';
import { capture, type Captured } from '../helpers.ts';

/**
 * Gantry writes the runner's workflow commands itself; @actions/core (still in node_modules for this
 * comparison) is the reference: for every tricky value, both must write exactly the same bytes.
 */

const TRICKY = [
  'plain',
  '',
  'line 1\nline 2',
  'windows\r\nline',
  'lone\rcarriage return',
  'trailing newline\n',
  '100% done, %25 already escaped, %0A too',
  'key: value, other: thing',
  '::set-output name=x::injected',
  '::',
  'tab\there',
  '  spaced  ',
  'unicode: é ü 日本語 🚀 \u200b zero-width, \u202e rtl',
];

let stdout: Captured;

beforeEach(() => {
  stdout = capture();
});

afterEach(() => {
  stdout.restore();
  process.exitCode = undefined;
});

/** What `write` puts on stdout. */
function written(write: () => void): string {
  stdout.clear();
  write();
  return stdout.text();
}

describe('workflow commands, byte for byte as @actions/core', () => {
  it.each(TRICKY)('info %j', (message) => {
    expect(written(() => writeLine(message))).toBe(written(() => core.info(message)));
    expect(written(() => log.info(message))).toBe(written(() => core.info(message)));
  });

  it.each(TRICKY)('debug %j', (message) => {
    expect(written(() => log.debug(message))).toBe(written(() => core.debug(message)));
  });

  it.each(TRICKY)('add-mask %j', (secret) => {
    expect(written(() => setSecret(secret))).toBe(written(() => core.setSecret(secret)));
  });

  it.each(TRICKY)('group and endgroup %j', async (title) => {
    stdout.clear();
    await log.group(title, async () => undefined);
    const gantry = stdout.text();
    stdout.clear();
    await core.group(title, async () => undefined);
    expect(gantry).toBe(stdout.text());
  });

  const LOCATIONS: AnnotationLocation[] = [
    {},
    { title: 'Title: with, commas and colons' },
    { file: 'db/migrations/0001 init,v2.sql', startLine: 3 },
    {
      title: 'multi\nline\r\ntitle 100%',
      file: 'k8s/deploy.yaml',
      startLine: 3,
      endLine: 4,
      startColumn: 5,
      endColumn: 9,
    },
    // Empty values are left out, but the space after the command name stays, as in @actions/core.
    { title: undefined },
    { title: '', file: 'a.ts', startLine: 0 },
    { startColumn: 1, endColumn: 2 },
    { title: 'unicode 🚀 日本語', file: 'é/ü.ts' },
  ];

  const LEVELS = ['error', 'warning', 'notice'] as const;

  describe.each(LEVELS)('%s annotations', (level) => {
    it.each(LOCATIONS)('at %j, for every tricky message', (location) => {
      for (const message of TRICKY) {
        const reference = written(() => core[level](message, location));
        expect(written(() => annotate(level, message, location))).toBe(reference);
        expect(written(() => log[level](message, location))).toBe(reference);
      }
    });

    it('without a location', () => {
      expect(written(() => log[level]('plain'))).toBe(written(() => core[level]('plain')));
    });
  });

  it.each(TRICKY)('setFailed %j writes the same error and sets exit code 1', (message) => {
    const reference = written(() => core.setFailed(message));
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
    expect(written(() => setFailed(message))).toBe(reference);
    expect(process.exitCode).toBe(1);
  });
});

describe('formatCommand', () => {
  it('escapes the message: %, CR and LF only', () => {
    expect(formatCommand('warning', {}, 'a%b\rc\nd:e,f')).toBe('::warning::a%25b%0Dc%0Ad:e,f');
  });

  it('escapes property values: also colon and comma', () => {
    expect(formatCommand('error', { title: 'a%b\rc\nd:e,f' }, '')).toBe(
      '::error title=a%25b%0Dc%0Ad%3Ae%2Cf::',
    );
  });

  it('leaves out empty properties and keeps the order given', () => {
    expect(formatCommand('notice', { file: 'x', line: 0, col: 2, title: undefined }, 'm')).toBe(
      '::notice file=x,col=2::m',
    );
  });

  it('writes non-strings as JSON and nothing as empty', () => {
    expect(formatCommand('debug', {}, { a: 1 })).toBe('::debug::{"a":1}');
    expect(formatCommand('debug', {}, undefined)).toBe('::debug::');
    expect(formatCommand('debug', {}, null)).toBe('::debug::');
  });
});
