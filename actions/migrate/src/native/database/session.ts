import { ActionError, errorMessage } from '../../../../../shared/src/errors.ts';

/**
 * What the migration code needs from a database connection. The pg client behind it is loaded only
 * once a command connects (database.ts), so the modules written against this interface stay light
 * and can be tested against a real server through the same interface.
 */
export interface Session {
  /** The simple query protocol when no values are given (several statements allowed), else extended. */
  query<Row extends object = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<Row[]>;
  /** server_version_num, like 150004. */
  readonly serverVersion: number;
  /** user@host:port/database, without the password. */
  readonly target: string;
}

/** A PostgreSQL error as the pg driver reports it: the SQLSTATE and the server's fields. */
export interface PostgresError extends Error {
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
}

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Server shutdown or restart, a session ended by an administrator, or a network failure. */
const LOST_STATES = new Set(['57P01', '57P02', '57P03']);
const LOST_MESSAGE = /Connection terminated|not queryable|ECONNRESET|EPIPE/i;

/** Whether the connection is gone: nothing more can be sent on it. */
export function connectionLost(error: unknown): boolean {
  const state = sqlState(error);
  if (state) return state.startsWith('08') || LOST_STATES.has(state);
  return LOST_MESSAGE.test(errorMessage(error));
}

export const CONNECTION_LOST_HINT =
  'the connection to the database was lost (a server restart or failover, a session ended with pg_terminate_backend, a proxy or network timeout): run the step again';

/**
 * A query of Gantry's own (the history table, the migration lock, the session's settings) that
 * failed, as an operational failure: what was being done, the SQLSTATE and the server's message.
 * `hints` by SQLSTATE say what to do about the failures that `what` can meet.
 */
export function queryFailed(what: string, error: unknown, hints: Record<string, string> = {}): ActionError {
  const state = sqlState(error);
  const hint = connectionLost(error) ? CONNECTION_LOST_HINT : state ? hints[state] : undefined;
  return new ActionError(`${what} failed: ${state ? `ERROR ${state}: ` : ''}${errorMessage(error)}.`, {
    cause: error,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** Runs Gantry's own queries in `fn`, turning a failure into queryFailed's error. */
export async function ownQuery<T>(
  what: string,
  fn: () => Promise<T>,
  hints: Record<string, string> = {},
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw queryFailed(what, error, hints);
  }
}
