import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { runActionBundle } from './action-runner.ts';
import type { ActionRun, StepRun } from './action-runner.ts';
import { expectNoSecretLeaks, findSecretLeaks } from './leak-check.ts';

const SECRET = 'hunter2-Pa$$/w0rd+?';
const PROBE = fileURLToPath(new URL('fixtures/probe-action', import.meta.url));

const step = (overrides: Partial<StepRun> = {}): StepRun => ({
  outcome: 'success',
  exitCode: 0,
  signal: null,
  log: '',
  stdout: '',
  stderr: '',
  annotations: [],
  masks: [],
  summary: '',
  durationMs: 1,
  ...overrides,
});
const actionRun = (overrides: Partial<ActionRun> = {}): ActionRun => ({
  ...step(),
  outputs: {},
  state: {},
  exportedEnv: {},
  addedPath: [],
  ...overrides,
});

describe('findSecretLeaks', () => {
  it.each<[string, Partial<ActionRun>]>([
    ['log', { log: `token: ${SECRET}` }],
    ['stderr', { stderr: `curl: ${SECRET}\n` }],
    ['summary', { summary: `| password | ${SECRET} |` }],
    ['output url', { outputs: { url: `postgres://app:${SECRET}@db` } }],
    [
      'annotation #0 (error)',
      { annotations: [{ level: 'error', message: `bad ${SECRET}`, properties: {} }] },
    ],
    [
      'annotation #0 (warning)',
      { annotations: [{ level: 'warning', message: 'x', properties: { title: SECRET } }] },
    ],
    ['exported env PGPASSWORD', { exportedEnv: { PGPASSWORD: SECRET } }],
    ['post log', { post: step({ log: SECRET }) }],
    ['post summary', { post: step({ summary: SECRET }) }],
  ])('finds a secret in the %s', (where, overrides) => {
    expect(findSecretLeaks(actionRun(overrides), ['unrelated', SECRET])).toEqual([
      `secret #1 (hu…) in ${where}`,
    ]);
  });

  it.each([
    ['URL-encoded', 'it%27s%20a%20p%40ss%2Fw%2Brd%21'],
    ['URL-encoded', "it's%20a%20p%40ss%2Fw%2Brd!"],
    ['form-encoded', 'it%27s+a+p%40ss%2Fw%2Brd%21'],
  ])('finds a secret %s as %s', (form, text) => {
    const findings = findSecretLeaks(actionRun({ log: `https://x/?p=${text}&q=1` }), ["it's a p@ss/w+rd!"]);
    expect(findings).toEqual([`secret #0 (it…) ${form} in log`]);
  });

  it('finds a JSON-escaped secret that has characters JSON escapes', () => {
    const secret = 'quote"back\\slash';
    const log = JSON.stringify({ password: secret });
    expect(findSecretLeaks(actionRun({ log }), [secret])).toEqual(['secret #0 (qu…) JSON-escaped in log']);
  });

  it('finds a base64-encoded secret at any byte alignment inside a longer encoded value', () => {
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const encoded = Buffer.from(`${prefix}user:${SECRET}!`).toString('base64');
      expect(findSecretLeaks(actionRun({ summary: encoded }), [SECRET])).toContain(
        'secret #0 (hu…) base64-encoded in summary',
      );
    }
  });

  it('finds a base64url-encoded secret', () => {
    // Bytes whose base64 has + and /, so that the base64url text differs.
    const secret = '???>>>token';
    const log = Buffer.from(secret).toString('base64url');
    expect(findSecretLeaks(actionRun({ log }), [secret])).toEqual([
      'secret #0 (??…) base64url-encoded in log',
    ]);
  });

  it('does not count add-mask lines, which never reach the UI', () => {
    const run = actionRun({
      stdout: `::add-mask::${SECRET}\n`,
      stderr: `::add-mask::${SECRET}\n`,
      masks: [SECRET],
    });
    expect(findSecretLeaks(run, [SECRET])).toEqual([]);
  });

  it('refuses secrets too short to check', () => {
    expect(() => findSecretLeaks(actionRun(), ['long enough', 'abc'])).toThrow(/Secret #1 has 3 characters/);
  });
});

describe('expectNoSecretLeaks', () => {
  it('throws with every finding', () => {
    const run = actionRun({ log: SECRET, outputs: { password: SECRET } });
    expect(() => expectNoSecretLeaks(run, [SECRET])).toThrow(
      '2 secret leak(s) in the action run:\n- secret #0 (hu…) in log\n- secret #0 (hu…) in output password',
    );
  });

  it('passes on a real run that only masks the secret', async () => {
    const run = await runActionBundle({ action: 'probe', actionDir: PROBE, inputs: { secret: SECRET } });
    expect(run.masks).toEqual([SECRET]);
    expect(() => expectNoSecretLeaks(run, [SECRET])).not.toThrow();
  });

  it('fails on a real run that prints the secret', async () => {
    const run = await runActionBundle({
      action: 'probe',
      actionDir: PROBE,
      inputs: { secret: SECRET, leak: 'log' },
    });
    expect(() => expectNoSecretLeaks(run, [SECRET])).toThrow('secret #0 (hu…) in log');
  });
});
