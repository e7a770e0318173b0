import path from 'node:path';
import { ReportedFailure } from '../../../../shared/src/errors.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import type { ActionContext } from '../../../../shared/src/runner/run-action.ts';
import type { CommandHandler } from './commands/command-context.ts';
import { info, plan, validate } from './commands/read-commands.ts';
import { baseline, migrate, undo } from './commands/write-commands.ts';
import { connect } from './database/database.ts';
import { readInputs, type Command } from '../inputs.ts';
import { loadMigrations } from './files/migration-files.ts';
import type { Outcome } from './commands/outcome.ts';
import { annotate, buildSummary, writeOutputs } from './report.ts';
import { loadSqlParser } from './sql/sql-script.ts';

const HANDLERS: Record<Command, CommandHandler> = { migrate, plan, validate, baseline, undo, info };
/** These never write: their session is read-only, enforced by the server. */
const READ_ONLY = new Set<Command>(['plan', 'validate', 'info']);
/**
 * These parse SQL so often that their parser starts loading before the connection is made. plan loads
 * it only once the history shows something pending: a plan with nothing to do needs no parser.
 */
const LOADS_PARSER_EARLY = new Set<Command>(['migrate', 'undo']);

/**
 * mode: native. Gantry applies the SQL migrations itself: read and check the files, connect, run the
 * command's handler, then the annotations, outputs and job summary, and fail when a problem was found.
 */
export async function runNative({ signal, startedAt }: ActionContext): Promise<void> {
  const inputs = readInputs();
  const migrations = await loadMigrations(inputs.migrationsDir, inputs.workspace);
  log.info(
    `${path.relative(inputs.workspace, inputs.migrationsDir) || '.'}: ${migrations.versioned.length} versioned, ${migrations.repeatable.length} repeatable and ` +
      `${migrations.undo.size} undo migrations.`,
  );
  if (migrations.ignored.length > 0) {
    log.info(`Not migrations, left alone: ${migrations.ignored.join(', ')}.`);
  }
  // The parser's WebAssembly compiles while the connection is being made; should connecting fail
  // first, the handler keeps a later parser failure from surfacing as an unhandled rejection.
  const parser = LOADS_PARSER_EARLY.has(inputs.command) ? loadSqlParser() : undefined;
  parser?.catch(() => undefined);

  const connection = await connect(inputs.connection, {
    readOnly: READ_ONLY.has(inputs.command),
    timeoutMs: inputs.connectTimeoutMs,
    signal,
  });
  let outcome: Outcome;
  try {
    log.info(
      `Connected to ${connection.target} (PostgreSQL ${serverVersionText(connection.serverVersion)}).`,
    );
    outcome = await HANDLERS[inputs.command]({
      inputs,
      migrations,
      connection,
      parser: () => parser ?? loadSqlParser(),
      signal,
      runUrl: runUrl(),
    });
  } finally {
    await connection.end();
  }

  annotate(outcome);
  writeOutputs(outcome);
  await buildSummary(outcome, Date.now() - startedAt).write();
  const reason = failureReason(outcome);
  if (reason) throw new ReportedFailure(reason);
}

function failureReason(outcome: Outcome): string | undefined {
  const errors = outcome.findings.filter((finding) => finding.severity === 'error');
  const reasons = [
    ...outcome.problems.map((problem) => problem.message),
    ...errors.map((finding) => finding.message),
  ];
  if (reasons.length === 0) return undefined;
  const more = reasons.length > 1 ? ` (and ${reasons.length - 1} more problem(s), see the annotations)` : '';
  // migrate and undo check everything before they run anything: say so when that is where they stopped.
  const stoppedByChecks =
    (outcome.command === 'migrate' || outcome.command === 'undo') &&
    outcome.problems.every((problem) => problem.phase === 'check');
  return `${stoppedByChecks ? 'Nothing was applied: ' : ''}${reasons[0]}${more}`;
}

function runUrl(): string | null {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
  if (!GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_RUN_ID) return null;
  return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`;
}

/** server_version_num as PostgreSQL writes the version: 150004 is 15.4, 90624 is 9.6.24. */
function serverVersionText(version: number): string {
  const major = Math.floor(version / 10000);
  if (major >= 10) return `${major}.${version % 10000}`;
  return `${major}.${Math.floor(version / 100) % 100}.${version % 100}`;
}
