import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { setOutputs } from '../../../shared/src/runner/outputs.ts';
import { maskSecret } from '../../../shared/src/runner/secrets.ts';
import { capture, readFileCommands, setEnv, tempDir, type TempDir } from '../helpers.ts';

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

function outputsOf(outputs: Parameters<typeof setOutputs>[0]): Record<string, string> {
  const file = dir.file(`output-${Math.random().toString(36).slice(2)}`);
  restoreEnv = setEnv({ GITHUB_OUTPUT: file });
  setOutputs(outputs);
  return readFileCommands(file);
}

describe('setOutputs', () => {
  it.each([
    ['a string as is', 'sha256:abc', 'sha256:abc'],
    ['an empty string', '', ''],
    ['a string that looks like JSON stays as is', '"quoted"', '"quoted"'],
    ['a multi-line string', 'line 1\nline 2', 'line 1\nline 2'],
    ['a number as JSON', 3, '3'],
    ['zero', 0, '0'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['null', null, 'null'],
    ['an array as JSON', ['a', 'b'], '["a","b"]'],
    ['an object as JSON', { revision: 7, ok: true }, '{"revision":7,"ok":true}'],
  ])('writes %s', (_label, value, expected) => {
    expect(outputsOf({ value })).toEqual({ value: expected });
  });

  it('writes every output, kebab-case names kept', () => {
    expect(outputsOf({ digest: 'sha256:1', 'previous-revision': 4, changed: false })).toEqual({
      digest: 'sha256:1',
      'previous-revision': '4',
      changed: 'false',
    });
  });

  it('redacts registered secrets from output values', () => {
    const stdout = capture();
    try {
      maskSecret('output-secret-value');
    } finally {
      stdout.restore();
    }
    expect(outputsOf({ url: 'https://u:output-secret-value@h/', list: ['output-secret-value'] })).toEqual({
      url: 'https://u:***@h/',
      list: '["***"]',
    });
  });

  it('redacts a secret inside an object before JSON escaping could change its characters', () => {
    const secret = 'quote"and\\backslash';
    const stdout = capture();
    try {
      maskSecret(secret);
    } finally {
      stdout.restore();
    }
    expect(outputsOf({ report: { header: `Bearer ${secret}` } })).toEqual({
      report: '{"header":"Bearer ***"}',
    });
  });

  it('uses the runner heredoc form with a random delimiter', () => {
    const file = dir.file('raw-output');
    restoreEnv = setEnv({ GITHUB_OUTPUT: file });
    setOutputs({ digest: 'sha256:abc' });
    expect(readFileCommands(file)).toEqual({ digest: 'sha256:abc' });
    expect(readFileSync(file, 'utf8')).toMatch(/^digest<<(ghadelimiter_[\w-]+)\nsha256:abc\n\1\n$/);
  });
});
