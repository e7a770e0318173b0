import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { ActionError } from '../errors.ts';
import { maskSecret, redact } from '../runner/secrets.ts';
import { abortReason, throwIfAborted } from '../async/sleep.ts';
import { untrustedLine } from '../runner/untrusted-output.ts';

/**
 * Runs a program without a shell (arguments as an array, so nothing is ever re-parsed), streams its
 * output to the log line by line with secrets masked, keeps the last lines of each stream for the
 * error message, and checks the exit code unless told not to.
 */

export interface ExecOptions {
  cwd?: string;
  /** Added to (not replacing) the current environment. */
  env?: Record<string, string>;
  /** Written to the program's stdin, then closed: the way to hand over a password. */
  input?: string | Buffer;
  /** Masked in the log and in error messages, in addition to secrets already registered. */
  secrets?: string[];
  /** Return a non-zero exit code instead of throwing. */
  ignoreReturnCode?: boolean;
  /** Keep the whole stdout in the result (for programs whose output is data). */
  captureStdout?: boolean;
  /** Do not echo the program's output to the log. */
  silent?: boolean;
  /** How to install the program, for the message when it is not found. */
  installHint?: string;
  signal?: AbortSignal;
  tailLines?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stdoutTail: string[];
  stderrTail: string[];
}

export class ExecError extends ActionError {
  readonly exitCode: number | null;
  readonly stderrTail: string[];

  constructor(message: string, exitCode: number | null, stderrTail: string[], hint?: string) {
    super(message, hint === undefined ? {} : { hint });
    this.name = 'ExecError';
    this.exitCode = exitCode;
    this.stderrTail = stderrTail;
  }
}

export async function exec(
  command: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  for (const secret of options.secrets ?? []) maskSecret(secret);
  throwIfAborted(options.signal);
  const tailLines = options.tailLines ?? 30;
  // Redact each argument before quoting it: quoting rewrites a secret that holds a single quote
  // (it's -> 'it'\''s'), and then neither redact nor the runner's mask would match it any more.
  const display = redact([command, ...args.map((arg) => quoteForDisplay(redact(arg)))].join(' '));
  if (!options.silent) process.stdout.write(`[command]${display}\n`);

  return new Promise<ExecResult>((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      shell: false,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
      killSignal: 'SIGTERM',
    });
    const stdoutTail = new LineTail(tailLines, options.silent ? undefined : process.stdout);
    const stderrTail = new LineTail(tailLines, options.silent ? undefined : process.stderr);
    let stdout = '';

    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (options.captureStdout) stdout += chunk;
      stdoutTail.push(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail.push(chunk);
    });
    // A program that exits without reading stdin closes the pipe; that is not our failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');

    child.on('error', (error: NodeJS.ErrnoException) => {
      if (options.signal?.aborted) {
        reject(abortReason(options.signal));
      } else if (error.code === 'ENOENT') {
        reject(
          new ExecError(`The program "${command}" was not found on PATH.`, null, [], options.installHint),
        );
      } else {
        reject(new ExecError(`Could not run "${command}": ${error.message}`, null, []));
      }
    });
    child.on('close', (code, signal) => {
      if (options.signal?.aborted) return reject(abortReason(options.signal));
      const result: ExecResult = {
        exitCode: code ?? 128,
        stdout,
        stdoutTail: stdoutTail.finish(),
        stderrTail: stderrTail.finish(),
      };
      if (result.exitCode === 0 || options.ignoreReturnCode) return resolve(result);
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const tail = result.stderrTail.length > 0 ? result.stderrTail : result.stdoutTail;
      const detail = tail.length > 0 ? `:\n${tail.join('\n')}` : '';
      reject(new ExecError(redact(`"${display}" ${how}${detail}`), code, result.stderrTail));
    });
  });
}

export interface PipedProcess {
  /** The program's stdin, for the caller to stream into and end; null when `stdin` was 'ignore'. */
  stdin: Writable | null;
  /** The program's raw stdout, for the caller to stream from; it is never echoed or buffered. */
  stdout: Readable;
  /** Settles when the program has exited: with its result, or an ExecError for a non-zero exit. */
  done: Promise<ExecResult>;
}

/**
 * `exec` for a program whose stdout (or stdin) is data to stream, like pg_dump's archive: the same
 * conventions (no shell, `[command]` echo with secrets redacted, stderr echoed, fenced and tailed
 * for the error, exit code checked), but stdout is handed to the caller instead of being read as
 * text. `done` must be awaited: a program that fails after writing all its output is a failure.
 */
export function spawnPiped(
  command: string,
  args: readonly string[],
  options: Omit<ExecOptions, 'input' | 'captureStdout' | 'ignoreReturnCode'> & {
    stdin?: 'pipe' | 'ignore';
  } = {},
): PipedProcess {
  for (const secret of options.secrets ?? []) maskSecret(secret);
  throwIfAborted(options.signal);
  const display = redact([command, ...args.map((arg) => quoteForDisplay(redact(arg)))].join(' '));
  if (!options.silent) process.stdout.write(`[command]${display}\n`);
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    shell: false,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    signal: options.signal,
    killSignal: 'SIGTERM',
  });
  // A program that exits without reading all of its stdin closes the pipe; its exit code tells.
  child.stdin?.on('error', () => undefined);
  const stderrTail = new LineTail(options.tailLines ?? 30, options.silent ? undefined : process.stderr);
  // stdio 'pipe' for both: the streams exist.
  const stdout = child.stdout as Readable;
  (child.stderr as Readable).setEncoding('utf8').on('data', (chunk: string) => stderrTail.push(chunk));
  const done = new Promise<ExecResult>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (options.signal?.aborted) reject(abortReason(options.signal));
      else if (error.code === 'ENOENT')
        reject(new ExecError(`The program "${command}" was not found.`, null, [], options.installHint));
      else reject(new ExecError(`Could not run "${command}": ${error.message}`, null, []));
    });
    child.on('close', (code, signal) => {
      const tail = stderrTail.finish();
      if (options.signal?.aborted) return reject(abortReason(options.signal));
      if (code === 0) return resolve({ exitCode: 0, stdout: '', stdoutTail: [], stderrTail: tail });
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const detail = tail.length > 0 ? `:\n${tail.join('\n')}` : '';
      reject(new ExecError(redact(`"${display}" ${how}${detail}`), code, tail));
    });
  });
  // The caller may be failing for another reason when this rejects; it still learns through `done`.
  done.catch(() => undefined);
  return { stdin: child.stdin, stdout, done };
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Echoes complete lines (redacted) and remembers the last `size` of them. */
class LineTail {
  private readonly size: number;
  private readonly echo: NodeJS.WriteStream | undefined;
  private readonly kept: string[] = [];
  private partial = '';

  constructor(size: number, echo: NodeJS.WriteStream | undefined) {
    this.size = size;
    this.echo = echo;
  }

  push(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.keep(line);
  }

  /** Called once the stream has ended: a last line without a newline still counts. */
  finish(): string[] {
    if (this.partial !== '') this.keep(this.partial);
    this.partial = '';
    return this.kept.slice(-this.size);
  }

  private keep(line: string): void {
    const clean = redact(line);
    this.echo?.write(untrustedLine(clean));
    this.kept.push(clean);
    if (this.kept.length > this.size * 2) this.kept.splice(0, this.kept.length - this.size);
  }
}
