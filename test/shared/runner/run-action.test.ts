import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  ActionError,
  CancelledError,
  ConfigurationError,
  ReportedFailure,
} from '../../../shared/src/errors.ts';
import { runAction, type ActionContext } from '../../../shared/src/runner/run-action.ts';
import { maskSecret } from '../../../shared/src/runner/secrets.ts';
import { sleep } from '../../../shared/src/async/sleep.ts';
import { capture, readFileCommands, setEnv, tempDir, type Captured, type TempDir } from '../helpers.ts';

let dir: TempDir;
let stdout: Captured;
let restoreEnv: () => void;
let stateFile: string;
let savedExitCode: typeof process.exitCode;

beforeAll(() => {
  dir = tempDir();
});

afterAll(() => {
  dir.remove();
});

beforeEach(() => {
  savedExitCode = process.exitCode;
  stateFile = dir.file(`state-${Math.random().toString(36).slice(2)}`);
  restoreEnv = setEnv({
    GITHUB_STATE: stateFile,
    GITHUB_OUTPUT: dir.file('output'),
    'STATE_gantry-is-post': undefined,
  });
  stdout = capture();
});

afterEach(() => {
  stdout.restore();
  restoreEnv();
  // setFailed sets process.exitCode: left in place it would fail the jest run itself.
  process.exitCode = savedExitCode;
});

/** The `::error::` lines, decoded as the runner decodes workflow command data. */
function errors(): string[] {
  return [...stdout.text().matchAll(/^::error::(.*)$/gm)].map((match) =>
    (match[1] as string).replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'),
  );
}

const STACK_LINE = /^\s+at .+\(?.+:\d+:\d+\)?$/m;

describe('runAction', () => {
  it('runs the step, leaves the exit code alone on success and prints the time taken', async () => {
    let context: ActionContext | undefined;
    const before = Date.now();
    await runAction(async (ctx) => {
      context = ctx;
    });
    expect(process.exitCode).toBe(savedExitCode);
    expect(context?.signal.aborted).toBe(false);
    expect(context?.startedAt).toBeGreaterThanOrEqual(before);
    expect(stdout.text()).toMatch(/^Step finished in \d+ms\.$/m);
    expect(errors()).toEqual([]);
  });

  it('reports a ConfigurationError as invalid configuration, with its hint and without a stack trace', async () => {
    await runAction(async () => {
      throw new ConfigurationError('Input "replicas" has an invalid value "x": expected a whole number.', {
        input: 'replicas',
        hint: 'use 1 to 10',
      });
    });
    expect(process.exitCode).toBe(1);
    expect(errors()).toEqual([
      'Invalid configuration: Input "replicas" has an invalid value "x": expected a whole number. Hint: use 1 to 10',
    ]);
    expect(stdout.text()).not.toMatch(STACK_LINE);
    expect(stdout.text()).not.toContain('bug in Gantry');
  });

  it('reports an ActionError with its hint and without a stack trace', async () => {
    await runAction(async () => {
      throw new ActionError('Rollout of web did not finish.', {
        hint: 'see kubectl describe deployment web',
      });
    });
    expect(process.exitCode).toBe(1);
    expect(errors()).toEqual(['Rollout of web did not finish. Hint: see kubectl describe deployment web']);
    expect(stdout.text()).not.toMatch(STACK_LINE);
  });

  it('reports an ActionError without a hint as its message alone', async () => {
    await runAction(async () => {
      throw new ActionError('Smoke test failed.');
    });
    expect(errors()).toEqual(['Smoke test failed.']);
  });

  it('fails a ReportedFailure with its message only, adding no annotation', async () => {
    await runAction(async () => {
      throw new ReportedFailure('2 of 3 smoke checks failed.');
    });
    expect(process.exitCode).toBe(1);
    expect(errors()).toEqual([]);
    expect(stdout.text()).toMatch(/^2 of 3 smoke checks failed\.$/m);
    expect(stdout.text()).not.toMatch(STACK_LINE);
  });

  it('prints the stack of an unexpected error and calls it a bug', async () => {
    await runAction(async () => {
      const value: unknown = undefined;
      (value as { deploy(): void }).deploy();
    });
    expect(process.exitCode).toBe(1);
    expect(stdout.text()).toContain('TypeError: ');
    expect(stdout.text()).toMatch(STACK_LINE);
    expect(stdout.text()).toContain('run-action.test.ts');
    const [message] = errors();
    expect(message).toMatch(
      /^Unexpected error \(a bug in Gantry; please report it with this log\): .*deploy/,
    );
    expect(stdout.text()).toMatch(/^Step finished in \d+ms\.$/m);
  });

  it('reports a thrown non-Error as a bug too', async () => {
    await runAction(async () => {
      throw 'a string';
    });
    expect(errors()).toEqual([
      'Unexpected error (a bug in Gantry; please report it with this log): a string',
    ]);
  });

  it('redacts registered secrets from the failure message and the stack', async () => {
    maskSecret('run-action-secret');
    expect(stdout.text()).toBe('::add-mask::run-action-secret\n');
    stdout.clear();
    await runAction(async () => {
      throw new Error('could not log in with run-action-secret');
    });
    expect(stdout.text()).toContain('Error: could not log in with ***');
    expect(stdout.text()).not.toContain('run-action-secret');
    expect(errors()[0]).toContain('could not log in with ***');
  });

  it('removes its signal handlers when the step ends', async () => {
    const sigterm = process.listenerCount('SIGTERM');
    const sigint = process.listenerCount('SIGINT');
    let during = 0;
    await runAction(async () => {
      during = process.listenerCount('SIGTERM');
    });
    expect(during).toBe(sigterm + 1);
    expect(process.listenerCount('SIGTERM')).toBe(sigterm);
    expect(process.listenerCount('SIGINT')).toBe(sigint);
  });
});

describe('post step', () => {
  it('main runs first and saves the state that marks the post step', async () => {
    const ran: string[] = [];
    await runAction(
      async () => {
        ran.push('main');
      },
      async () => {
        ran.push('post');
      },
    );
    expect(ran).toEqual(['main']);
    expect(readFileCommands(stateFile)).toEqual({ 'gantry-is-post': 'true' });
    expect(stdout.text()).toMatch(/^Step finished in/m);
  });

  it('with the saved state in the environment, the post function runs instead', async () => {
    process.env['STATE_gantry-is-post'] = 'true';
    const ran: string[] = [];
    await runAction(
      async () => {
        ran.push('main');
      },
      async () => {
        ran.push('post');
      },
    );
    expect(ran).toEqual(['post']);
    expect(readFileSync(stateFile, 'utf8')).toBe('');
    expect(stdout.text()).toMatch(/^Post step finished in \d+ms\.$/m);
  });

  it('without a post function, main runs and no state is saved', async () => {
    process.env['STATE_gantry-is-post'] = 'true';
    const ran: string[] = [];
    await runAction(async () => {
      ran.push('main');
    });
    expect(ran).toEqual(['main']);
    expect(readFileSync(stateFile, 'utf8')).toBe('');
  });

  it('a failing post step fails the step too', async () => {
    process.env['STATE_gantry-is-post'] = 'true';
    await runAction(
      async () => undefined,
      async () => {
        throw new ActionError('cleanup failed');
      },
    );
    expect(process.exitCode).toBe(1);
    expect(errors()).toEqual(['cleanup failed']);
  });
});

describe('cancellation', () => {
  it.each([['SIGTERM'], ['SIGINT']] as const)(
    '%s aborts the signal with a CancelledError and the step fails as cancelled',
    async (name) => {
      let reason: unknown;
      const running = runAction(async (ctx) => {
        try {
          await sleep(60_000, ctx.signal);
        } finally {
          reason = ctx.signal.reason;
        }
      });
      await sleep(5);
      // Node calls signal listeners with the signal's name.
      process.emit(name, name);
      const started = performance.now();
      await running;
      expect(performance.now() - started).toBeLessThan(2000);
      expect(reason).toBeInstanceOf(CancelledError);
      expect((reason as Error).message).toBe(`Cancelled by ${name}.`);
      expect(process.exitCode).toBe(1);
      expect(stdout.text()).toContain(
        `::warning::Received ${name}: cancelling, finishing what cannot be interrupted.`,
      );
      expect(errors()).toEqual([`Cancelled by ${name}.`]);
      expect(stdout.text()).not.toMatch(STACK_LINE);
    },
  );

  it('a second signal exits at once', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as typeof process.exit);
    try {
      let release: () => void = () => undefined;
      const running = runAction(
        () =>
          new Promise<void>((resolve) => {
            release = resolve;
          }),
      );
      process.emit('SIGTERM', 'SIGTERM');
      expect(exit).not.toHaveBeenCalled();
      process.emit('SIGTERM', 'SIGTERM');
      expect(exit).toHaveBeenCalledWith(1);
      release();
      await running;
    } finally {
      exit.mockRestore();
    }
  });
});

describe('runActionProcess', () => {
  const fixture = new URL('fixtures/lingering-step.ts', import.meta.url);

  /** The fixture as its own process: its exit code and everything it wrote to a pipe. */
  function runFixture(fails: boolean): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [fixture.pathname], {
        env: { ...process.env, LINGERING_STEP_FAILS: String(fails) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });
  }

  it.each([
    ['succeeded', false, 0],
    ['failed', true, 1],
  ])(
    'ends the process once the step has %s, with its exit code and its whole log, though a timer is left',
    async (_outcome, fails, exitCode) => {
      const run = await runFixture(fails);
      expect(run.code).toBe(exitCode);
      expect(run.stdout).toContain(`${'x'.repeat(1_000_000)}\nlast line of the step\n`);
      expect(run.stdout).toMatch(/^Step finished in .+\.$/m);
      if (fails) expect(run.stdout).toContain('::error::the step failed');
    },
    // Left to Node, the timer would keep the process alive for ten minutes.
    30_000,
  );
});
