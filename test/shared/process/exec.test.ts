import { realpathSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ActionError, CancelledError } from '../../../shared/src/errors.ts';
import { exec, ExecError, type ExecOptions, type ExecResult } from '../../../shared/src/process/exec.ts';
import { capture, tempDir, type Captured, type TempDir } from '../helpers.ts';

const NODE = process.execPath;
let stdout: Captured;
let stderr: Captured;
let dir: TempDir;

beforeAll(() => {
  dir = tempDir();
});

afterAll(() => {
  dir.remove();
});

beforeEach(() => {
  stdout = capture(process.stdout);
  stderr = capture(process.stderr);
});

afterEach(() => {
  stdout.restore();
  stderr.restore();
});

/** What a reader of the log sees, without the `::add-mask::` commands that register the secrets. */
function logWithoutMasks(): string {
  return (stdout.text() + stderr.text()).replace(/^::add-mask::.*\n/gm, '');
}

async function execError(command: string, args: string[], options: ExecOptions = {}): Promise<ExecError> {
  const error = await exec(command, args, options).then(
    (result: ExecResult) => new Error(`expected a failure, got exit code ${result.exitCode}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExecError);
  return error as ExecError;
}

describe('exec', () => {
  it('runs a program and returns its exit code and output tails', async () => {
    const result = await exec(NODE, [
      '-e',
      'console.log("out 1"); console.log("out 2"); console.error("err 1")',
    ]);
    expect(result).toEqual({
      exitCode: 0,
      stdout: '',
      stdoutTail: ['out 1', 'out 2'],
      stderrTail: ['err 1'],
    });
    expect(stdout.text()).toContain(`[command]${NODE} -e 'console.log("out 1");`);
    expect(stdout.text()).toContain('out 1\nout 2\n');
    expect(stderr.text()).toContain('err 1\n');
  });

  it("fences the program's workflow-command lines so the runner does not act on them", async () => {
    await exec('printf', ['::error::from the build\\n::add-mask::x\\n']);
    expect(stdout.text()).toMatch(
      /::stop-commands::([0-9a-f]{32})\n::error::from the build\n::\1::\n::stop-commands::([0-9a-f]{32})\n::add-mask::x\n::\2::\n/,
    );
  });

  it('keeps a last line that has no newline', async () => {
    const result = await exec('printf', ['no newline']);
    expect(result.stdoutTail).toEqual(['no newline']);
    expect(stdout.text()).toContain('no newline\n');
  });

  it('fails on a non-zero exit with an ExecError naming the command and the stderr tail', async () => {
    const error = await execError(NODE, [
      '-e',
      'console.log("progress"); console.error("line 1"); console.error("boom"); process.exit(3)',
    ]);
    expect(error).toBeInstanceOf(ActionError);
    expect(error.exitCode).toBe(3);
    expect(error.stderrTail).toEqual(['line 1', 'boom']);
    expect(error.message).toMatch(/^".*node -e .*" exited with code 3:\nline 1\nboom$/s);
    expect(error.message.split('\n').slice(1)).toEqual(['line 1', 'boom']);
  });

  it('keeps only the last tailLines lines', async () => {
    const error = await execError(
      NODE,
      ['-e', 'for (let i = 1; i <= 100; i++) console.error("line " + i); process.exit(1)'],
      { tailLines: 3 },
    );
    expect(error.stderrTail).toEqual(['line 98', 'line 99', 'line 100']);
    expect(error.message).toMatch(/exited with code 1:\nline 98\nline 99\nline 100$/);
  });

  it('uses the stdout tail in the message when stderr is empty', async () => {
    const error = await execError(NODE, ['-e', 'console.log("only stdout"); process.exit(2)']);
    expect(error.message).toMatch(/exited with code 2:\nonly stdout$/);
  });

  it('says so when a program is killed by a signal', async () => {
    const error = await execError(NODE, ['-e', 'process.kill(process.pid, "SIGKILL")']);
    expect(error.exitCode).toBeNull();
    expect(error.message).toMatch(/was killed by SIGKILL$/);
  });

  it('returns a non-zero exit code with ignoreReturnCode', async () => {
    const result = await exec(NODE, ['-e', 'console.error("nope"); process.exit(4)'], {
      ignoreReturnCode: true,
    });
    expect(result.exitCode).toBe(4);
    expect(result.stderrTail).toEqual(['nope']);
  });

  it.each([
    ['a string', 'line one\nline two\n', 'line one\nline two\n'],
    ['a Buffer', Buffer.from('bytes\n'), 'bytes\n'],
  ])('writes %s input to stdin', async (_label, input, expected) => {
    const result = await exec('cat', [], { input, captureStdout: true });
    expect(result.stdout).toBe(expected);
  });

  it('closes stdin when there is no input, so a reader does not hang', async () => {
    const result = await exec('cat', [], { captureStdout: true });
    expect(result.stdout).toBe('');
  });

  it('captures the whole stdout only when asked, and echoes nothing when silent', async () => {
    const script = 'for (let i = 0; i < 50; i++) console.log("row " + i)';
    const captured = await exec(NODE, ['-e', script], { captureStdout: true, silent: true, tailLines: 5 });
    expect(captured.stdout.split('\n')).toHaveLength(51);
    expect(captured.stdout.startsWith('row 0\nrow 1\n')).toBe(true);
    expect(captured.stdoutTail).toEqual(['row 45', 'row 46', 'row 47', 'row 48', 'row 49']);
    expect(stdout.text()).toBe('');
    const uncaptured = await exec(NODE, ['-e', script], { silent: true });
    expect(uncaptured.stdout).toBe('');
  });

  it('adds env to the environment and runs in cwd', async () => {
    const result = await exec(
      NODE,
      ['-e', 'console.log(process.env.GANTRY_TEST_VAR, process.cwd(), !!process.env.PATH)'],
      {
        env: { GANTRY_TEST_VAR: 'set-by-test' },
        cwd: dir.path,
        captureStdout: true,
      },
    );
    expect(result.stdout.trim()).toBe(`set-by-test ${realpathSync(dir.path)} true`);
  });

  it('passes arguments literally, without a shell', async () => {
    const args = ['a b', '"double"', "it's", '$HOME', 'a;b', '`id`', '*', '$(echo x)', '', 'x > y', '\\n'];
    const result = await exec('printf', ['[%s]\n', ...args], { captureStdout: true });
    expect(result.stdout).toBe(args.map((arg) => `[${arg}]\n`).join(''));
  });

  it('quotes arguments in the echoed command line so it can be read back', async () => {
    await exec('printf', ['%s', 'plain', 'two words', "it's", ''], { silent: false });
    expect(stdout.text().split('\n')[0]).toBe(`[command]printf %s plain 'two words' 'it'\\''s' ''`);
  });

  describe('secrets', () => {
    it('never shows a secret argument or output in the log', async () => {
      await exec('printf', ['%s\n', 'token-abc123'], { secrets: ['token-abc123'] });
      expect(stdout.text()).toContain('::add-mask::token-abc123');
      expect(logWithoutMasks()).not.toContain('token-abc123');
      expect(logWithoutMasks()).toContain('[command]printf');
    });

    it('never shows a secret that needs quoting in the echoed command line', async () => {
      const secret = "pa'ss w0rd";
      await exec('printf', ['%s\n', `--password=${secret}`, secret], { secrets: [secret] });
      const log = logWithoutMasks();
      expect(log).not.toContain('w0rd');
      expect(log).toContain(`[command]printf '%s\n' '--password=***' '***'\n`);
    });

    it('never shows a secret in the error', async () => {
      const error = await execError(
        NODE,
        ['-e', 'console.error("login failed for " + process.argv[1]); process.exit(1)', 'sekret-password-1'],
        { secrets: ['sekret-password-1'] },
      );
      expect(error.message).not.toContain('sekret-password-1');
      expect(error.message).toContain('login failed for ***');
      expect(error.stderrTail).toEqual(['login failed for ***']);
      expect(logWithoutMasks()).not.toContain('sekret-password-1');
    });

    it('masks a secret that arrives split across two writes', async () => {
      const script =
        'process.stdout.write("split-sec"); setTimeout(() => process.stdout.write("ret-value\\n"), 50)';
      const result = await exec(NODE, ['-e', script], { secrets: ['split-secret-value'] });
      expect(result.stdoutTail).toEqual(['***']);
      const output = logWithoutMasks().split('\n').slice(1).join('\n');
      expect(output).toBe('***\n');
    });

    it('masks every line of a multi-line secret the program prints', async () => {
      const key = 'BEGIN-FAKE-KEY\nQUJDREVGR0hJSktMTU5PUA\nEND-FAKE-KEY';
      const result = await exec('cat', [], { input: `${key}\n`, secrets: [key] });
      expect(result.stdoutTail).toEqual(['***', '***', '***']);
      expect(logWithoutMasks()).not.toContain('QUJDREVGR0hJSktMTU5PUA');
    });
  });

  it('names a missing program and how to install it', async () => {
    const error = await execError('gantry-no-such-program', ['--version'], {
      installHint: 'apt-get install gantry-tool',
    });
    expect(error.message).toBe('The program "gantry-no-such-program" was not found on PATH.');
    expect(error.hint).toBe('apt-get install gantry-tool');
    expect(error.exitCode).toBeNull();
  });

  it('kills the program when the signal is aborted, rejecting with the reason', async () => {
    const controller = new AbortController();
    const reason = new CancelledError('Cancelled by SIGTERM.');
    const started = performance.now();
    const running = exec(NODE, ['-e', 'console.log("started"); setTimeout(() => {}, 60_000)'], {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(reason), 200);
    await expect(running).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('does not start the program when the signal is already aborted', async () => {
    const reason = new CancelledError();
    await expect(exec(NODE, ['-e', ''], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(stdout.text()).toBe('');
  });
});
