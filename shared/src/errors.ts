/**
 * The error kinds every action distinguishes. `runAction` prints a stack trace only for errors that
 * are none of these, because those are bugs in Gantry; these are the user's or the environment's.
 */

/** A user mistake in the inputs: reported before anything is changed. */
export class ConfigurationError extends Error {
  readonly input: string | undefined;
  readonly hint: string | undefined;

  constructor(message: string, options: { input?: string; hint?: string } = {}) {
    super(message);
    this.name = 'ConfigurationError';
    this.input = options.input;
    this.hint = options.hint;
  }
}

/** An expected operational failure (a check failed, a service is down, a command exited non-zero). */
export class ActionError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ActionError';
    this.hint = options.hint;
  }
}

/**
 * A failure already reported in full (one annotation per problem, the job summary): `runAction`
 * only fails the step with this one-line message and adds no annotation of its own.
 */
export class ReportedFailure extends ActionError {
  constructor(message: string) {
    super(message);
    this.name = 'ReportedFailure';
  }
}

/** The run was cancelled (SIGINT/SIGTERM from the runner, or the caller's AbortSignal). */
export class CancelledError extends ActionError {
  constructor(message = 'the step was cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** A deadline passed while waiting for something; the message says what. */
export class DeadlineExceededError extends ActionError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DeadlineExceededError';
  }
}

/** True for the errors that are not bugs: their message is the whole story. */
export function isExpectedError(error: unknown): error is ConfigurationError | ActionError {
  return error instanceof ConfigurationError || error instanceof ActionError;
}

/** Read by shape: errors from Node's own realm fail `instanceof Error` under jest's VM modules. */
export function errorMessage(error: unknown): string {
  const message =
    typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
