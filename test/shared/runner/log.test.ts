import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import * as log from '../../../shared/src/runner/log.ts';
import { maskSecret } from '../../../shared/src/runner/secrets.ts';
import { capture, type Captured } from '../helpers.ts';

let stdout: Captured;

beforeEach(() => {
  stdout = capture();
  maskSecret('log-secret-value');
  stdout.clear();
});

afterEach(() => {
  stdout.restore();
});

describe('log', () => {
  it.each([
    ['info', log.info, 'hello log-secret-value\n', 'hello ***\n'],
    ['debug', log.debug, 'dbg log-secret-value', '::debug::dbg ***\n'],
  ])('%s writes the redacted message', (_label, write, message, expected) => {
    write(message.trimEnd());
    expect(stdout.text()).toBe(expected);
  });

  it.each([
    ['warning', log.warning],
    ['error', log.error],
    ['notice', log.notice],
  ])('%s writes a redacted annotation with its location', (kind, write) => {
    write('bad log-secret-value here', {
      title: 'title log-secret-value',
      file: 'deploy.yaml',
      startLine: 3,
      endLine: 4,
      startColumn: 5,
      endColumn: 9,
    });
    expect(stdout.text()).toBe(
      `::${kind} title=title ***,file=deploy.yaml,line=3,endLine=4,col=5,endColumn=9::bad *** here\n`,
    );
  });

  it('writes an annotation without a location', () => {
    log.warning('plain');
    expect(stdout.text()).toBe('::warning::plain\n');
  });

  it('group wraps the output of fn and returns its value', async () => {
    const value = await log.group('Deploying log-secret-value', async () => {
      log.info('inside');
      return 42;
    });
    expect(value).toBe(42);
    expect(stdout.text()).toBe('::group::Deploying ***\ninside\n::endgroup::\n');
  });

  it('group closes the group when fn throws, and rethrows', async () => {
    const failure = new Error('boom');
    await expect(
      log.group('failing', async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(stdout.text()).toBe('::group::failing\n::endgroup::\n');
  });
});
