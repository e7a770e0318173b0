import { formatDuration } from '../formats/duration.ts';
import {
  CancelledError,
  ConfigurationError,
  errorMessage,
  isExpectedError,
  ReportedFailure,
} from '../errors.ts';
import { getState, saveState } from './file-commands.ts';
import { redact } from './secrets.ts';
import { annotate, setFailed, writeLine } from './workflow-commands.ts';

/**
 * The entry point of every action (`index.ts` is one call to this). It turns the runner's
 * cancellation signals into an AbortSignal, times the step, and turns any error into a failed step
 * with a one-line reason: a stack trace is printed only for a bug, never for a user mistake.
 */

export interface ActionContext {
  /** Aborted with a CancelledError when the runner cancels the job (SIGINT, then SIGTERM). */
  signal: AbortSignal;
  startedAt: number;
}

export type Step = (context: ActionContext) => Promise<void>;

const POST_STATE = 'gantry-is-post';

export async function runAction(main: Step, post?: Step): Promise<void> {
  const isPost = post !== undefined && getState(POST_STATE) === 'true';
  if (post && !isPost) saveState(POST_STATE, 'true');
  const step = isPost ? post : main;

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      // A second signal means the runner is about to kill us: stop now rather than be killed mid-write.
      process.exit(1);
    }
    annotate('warning', `Received ${signal}: cancelling, finishing what cannot be interrupted.`);
    controller.abort(new CancelledError(`Cancelled by ${signal}.`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const startedAt = Date.now();
  try {
    await step({ signal: controller.signal, startedAt });
  } catch (error) {
    fail(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    writeLine(`${isPost ? 'Post step' : 'Step'} finished in ${formatDuration(Date.now() - startedAt)}.`);
  }
}

/**
 * What a bundled action's index.ts calls: runAction, then the process ends as soon as its log is
 * flushed. Nothing keeps a finished step alive ('exit' comes within milliseconds), but Node's own
 * teardown after it, which waits for V8's background compile jobs, took another 50-150 ms of every
 * step on a loaded two-core machine; process.exit() skips most of that wait (20-60 ms less in
 * bench/deploy-k8s-startup.bench.ts). Nothing of the step is cut off: it has awaited its work
 * (outputs, state and annotations are written synchronously, the summary is awaited), 'exit'
 * listeners still run, and a post step runs in a process of its own.
 */
export async function runActionProcess(main: Step, post?: Step): Promise<void> {
  await runAction(main, post);
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}

/** Resolves once everything written before is handed to the OS (on a pipe it may be asynchronous). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

function fail(error: unknown): void {
  if (error instanceof ReportedFailure) {
    process.exitCode = 1;
    writeLine(redact(error.message));
    return;
  }
  if (isExpectedError(error)) {
    const hint = error.hint ? ` Hint: ${error.hint}` : '';
    const prefix = error instanceof ConfigurationError ? 'Invalid configuration: ' : '';
    setFailed(redact(`${prefix}${error.message}${hint}`));
    return;
  }
  // Anything else is a bug in Gantry: the stack is what a maintainer needs to fix it.
  writeLine(redact(error instanceof Error && error.stack ? error.stack : String(error)));
  setFailed(
    redact(`Unexpected error (a bug in Gantry; please report it with this log): ${errorMessage(error)}`),
  );
}
