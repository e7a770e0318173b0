/**
 * Runs one step's script as the runner does (`node <script>`, no shell, stdin closed), delivering
 * stdout and stderr lines in arrival order and killing the whole process group on a timeout.
 */
import { spawn } from 'node:child_process';

export interface StepProcessOptions {
  script: string;
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  /** A signal sent to the step's process, as the runner does on cancellation. */
  signal?: StepSignal;
  onLine: (line: string) => void;
}

/**
 * When to cancel: after a delay, as soon as the step prints a line matching `afterLine`, or when
 * `when` resolves. A test that needs the step cancelled in a given state waits for the line saying it
 * got there, or for the state itself (`when`), rather than guessing how long that takes.
 */
export type StepSignal = { name: 'SIGINT' | 'SIGTERM' } & (
  { afterMs: number } | { afterLine: RegExp } | { when: Promise<unknown> }
);

export interface StepProcessResult {
  pid: number;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** Whether `options.signal` was delivered before the process ended. */
  signalled: boolean;
}

/** How long a process that ignores SIGTERM keeps running before SIGKILL. */
const KILL_GRACE_MS = 2000;

export function runStepProcess(options: StepProcessOptions): Promise<StepProcessResult> {
  const started = performance.now();
  // Detached: the step leads its own process group, so a timeout also ends what it started.
  const child = spawn(process.execPath, [options.script], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const { signal } = options;
  let signalled = false;
  const cancel = (name: StepSignal['name']): void => {
    if (!signalled && child.exitCode === null && child.signalCode === null) signalled = child.kill(name);
  };
  const onLine =
    signal && 'afterLine' in signal
      ? (line: string): void => {
          options.onLine(line);
          // search(), unlike test(), keeps no lastIndex between lines for a /g pattern.
          if (line.search(signal.afterLine) !== -1) cancel(signal.name);
        }
      : options.onLine;
  const streams = { stdout: '', stderr: '' };
  for (const name of ['stdout', 'stderr'] as const) {
    const lines = new LineSplitter(onLine);
    child[name].setEncoding('utf8');
    child[name].on('data', (chunk: string) => {
      streams[name] += chunk;
      lines.push(chunk);
    });
    child[name].on('end', () => lines.end());
  }

  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timers: NodeJS.Timeout[] = [];
    timers.push(
      setTimeout(() => {
        timedOut = true;
        killProcessGroup(child.pid, 'SIGTERM');
        timers.push(
          setTimeout(() => {
            killProcessGroup(child.pid, 'SIGKILL');
            // A descendant that left the group may still hold the pipes open.
            timers.push(
              setTimeout(() => {
                child.stdout.destroy();
                child.stderr.destroy();
              }, 1000),
            );
          }, KILL_GRACE_MS),
        );
      }, options.timeoutMs),
    );
    if (signal && 'afterMs' in signal) timers.push(setTimeout(() => cancel(signal.name), signal.afterMs));
    if (signal && 'when' in signal) {
      signal.when.then(
        () => cancel(signal.name),
        (error: unknown) => {
          killProcessGroup(child.pid, 'SIGKILL');
          reject(new Error(`The event to cancel the step on failed: ${String(error)}`));
        },
      );
    }
    child.on('error', (error) => {
      timers.forEach(clearTimeout);
      reject(error);
    });
    child.on('close', (exitCode, exitSignal) => {
      timers.forEach(clearTimeout);
      resolve({
        pid: child.pid ?? 0,
        exitCode,
        signal: exitSignal,
        ...streams,
        durationMs: Math.round(performance.now() - started),
        timedOut,
        signalled,
      });
    });
  });
}

/** Signals every process left in a step's group; quiet when there is none. */
export function killProcessGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Splits a stream into lines at LF, CRLF or a lone CR, like the .NET reader the runner uses. */
class LineSplitter {
  #pending = '';
  readonly #onLine: (line: string) => void;

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(chunk: string): void {
    const text = this.#pending + chunk;
    let start = 0;
    for (let index = 0; index < text.length; index++) {
      const char = text[index];
      if (char !== '\n' && char !== '\r') continue;
      // A CR at the end of a chunk may be the first half of a CRLF.
      if (char === '\r' && index === text.length - 1) break;
      this.#onLine(text.slice(start, index));
      if (char === '\r' && text[index + 1] === '\n') index++;
      start = index + 1;
    }
    this.#pending = text.slice(start);
  }

  end(): void {
    if (this.#pending !== '') this.#onLine(this.#pending.replace(/\r$/, ''));
    this.#pending = '';
  }
}
