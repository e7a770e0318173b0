import path from 'node:path';
import { ReportedFailure } from '../../../../shared/src/errors.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import type { ActionContext } from '../../../../shared/src/runner/run-action.ts';
import type { CommandHandler } from './commands/command-context.ts';
import { info, plan, validate } from './commands/read-commands.ts';
import { baseline, migrate, undo } from './commands/write-commands.ts';
import { readInputs, type Command } from '../inputs.ts';
import { loadMigrations, type MigrationSet } from './files/migration-files.ts';
import type { Outcome } from './commands/outcome.ts';
import { annotate, buildSummary, writeOutputs } from './report.ts';
import { EarlyStart } from './early-start.ts';

const HANDLERS: Record<Command, CommandHandler> = { migrate, plan, validate, baseline, undo, info };

/**
 * mode: native. Gantry applies the SQL migrations itself: read and check the files (connecting
 * meanwhile, see early-start.ts), run the command's handler, then the annotations, outputs and job
 * summary, and fail when a problem was found.
 */
export async function runNative({ signal, startedAt }: ActionContext): Promise<void> {
  const inputs = readInputs();
  const early = new EarlyStart(inputs, signal);
  let migrations: MigrationSet;
  try {
    migrations = await loadMigrations(inputs.migrationsDir, inputs.workspace, { onListed: early.onListed });
  } catch (error) {
    early.abandon(error);
    throw error;
  }
  log.info(
    `${path.relative(inputs.workspace, inputs.migrationsDir) || '.'}: ${migrations.versioned.length} versioned, ${migrations.repeatable.length} repeatable and ` +
      `${migrations.undo.size} undo migrations.`,
  );
  if (migrations.ignored.length > 0) {
    log.info(`Not migrations, left alone: ${migrations.ignored.join(', ')}.`);
  }
  const connection = await early.connection();
  let outcome: Outcome;
  try {
    log.info(
      `Connected to ${connection.target} (PostgreSQL ${serverVersionText(connection.serverVersion)}).`,
    );
    outcome = await HANDLERS[inputs.command]({
      inputs,
      migrations,
      connection,
      parser: early.sqlParser,
      signal,
      runUrl: runUrl(),
      earlyHistory: early.history,
    });
  } catch (error) {
    await connection.end();
    throw error;
  }
  // The report needs nothing more from the server: it is written while the connection closes.
  const closing = connection.end();
  annotate(outcome);
  writeOutputs(outcome);
  await buildSummary(outcome, Date.now() - startedAt).write();
  await closing;
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
