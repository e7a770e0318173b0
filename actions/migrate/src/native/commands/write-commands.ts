import * as log from '../../../../../shared/src/runner/log.ts';
import { throwIfAborted } from '../../../../../shared/src/async/sleep.ts';
import type { ApplySettings } from '../database/apply.ts';
import { applyAll } from './apply-all.ts';
import {
  baseOutcome,
  checkPending,
  settle,
  snapshot,
  withLock,
  type CommandContext,
  type CommandHandler,
} from './command-context.ts';
import {
  createHistoryTable,
  historyPrivilegeHints,
  insertHistorySql,
  type NewHistoryRow,
} from '../database/history.ts';
import type { MigrateInputs } from '../../inputs.ts';
import { prepareMigrations } from './prepare.ts';
import { ownQuery } from '../database/session.ts';
import { compareVersions, type Version } from '../files/version.ts';

/**
 * The commands that write: migrate, undo and baseline. Each holds the migration lock, reads the
 * history only once it has it, and checks everything it can (drift, order, syntax, lint) before it
 * changes anything.
 */

function applySettings(context: CommandContext): ApplySettings {
  const { inputs } = context;
  return {
    history: inputs.history,
    lockTimeoutMs: inputs.lockTimeoutMs,
    statementTimeoutMs: inputs.statementTimeoutMs,
    lockRetries: inputs.lockRetries,
    runUrl: context.runUrl,
    signal: context.signal,
  };
}

export const migrate: CommandHandler = (context) =>
  withLock(context, async () => {
    const { before, outcome, preparation } = await checkPending(context);
    if (outcome.problems.length > 0 || preparation.blocking.length > 0) return outcome;
    // The checks parse every pending file, which takes a while: a cancellation meanwhile changes nothing.
    throwIfAborted(context.signal);
    if (preparation.prepared.length === 0) {
      log.info(
        `${context.connection.target} is up to date at version ${before.state.currentVersion?.text ?? 'none'}.`,
      );
    }
    if (!before.historyExisted) {
      await createHistoryTable(context.connection, context.inputs.history);
      outcome.historyCreated = true;
      log.info(`Created the history table ${context.inputs.history.display}.`);
    }
    for (const failed of before.state.failed) {
      log.info(`${failed.script} failed in an earlier run (${failed.appliedAt}); trying it again.`);
    }
    await applyAll(context.connection, applySettings(context), preparation.prepared, outcome);
    return settle(context, outcome);
  });

export const undo: CommandHandler = (context) =>
  withLock(context, async () => {
    const before = await snapshot(context);
    const outcome = baseOutcome(context, before);
    const target = before.state.applied.at(-1);
    if (!target) {
      const baseline = before.state.baseline;
      outcome.problems.push({
        phase: 'check',
        title: 'Nothing to undo',
        message: baseline
          ? `Nothing to undo: no migration was applied above the baseline at version ${baseline.text}, and a baseline cannot be undone.`
          : 'Nothing to undo: no versioned migration is applied.',
      });
      return outcome;
    }
    const undoFile = context.migrations.undo.get(target.version.key);
    if (!undoFile) {
      outcome.problems.push({
        phase: 'check',
        title: 'No undo migration',
        message:
          `The latest applied version is ${target.version.text} (${target.row.script}), and migrations-dir has no undo file for it: ` +
          `add U${target.version.text.replaceAll('.', '_')}__<description>.sql with the SQL that reverses it.`,
      });
      return outcome;
    }
    const preparation = await prepareMigrations(
      [{ migration: undoFile, type: 'undo' }],
      await context.parser(),
      context.connection.serverVersion,
      { allowDestructive: context.inputs.allowDestructive, database: context.connection },
    );
    outcome.findings = preparation.findings;
    if (preparation.blocking.length > 0) return outcome;
    await applyAll(context.connection, applySettings(context), preparation.prepared, outcome);
    return settle(context, outcome);
  });

export const baseline: CommandHandler = (context) =>
  withLock(context, async () => {
    const before = await snapshot(context);
    const outcome = baseOutcome(context, before);
    const { version, description } = context.inputs.baseline as NonNullable<MigrateInputs['baseline']>;
    const existing = before.state.applied.at(-1)?.version ?? before.state.baseline;
    if (existing) {
      outcome.problems.push({
        phase: 'check',
        title: 'Baseline refused',
        message: `${context.inputs.history.display} already records version ${existing.text}: a baseline only marks a database that has no migration history yet.`,
      });
      return outcome;
    }
    if (!before.historyExisted) {
      await createHistoryTable(context.connection, context.inputs.history);
      outcome.historyCreated = true;
    }
    const row: NewHistoryRow = {
      version: version.text,
      description,
      type: 'baseline',
      script: `<< baseline ${version.text} >>`,
      checksum: null,
      executionMs: 0,
      success: true,
      error: null,
    };
    await ownQuery(
      `Recording the baseline in ${context.inputs.history.display}`,
      () => context.connection.query(insertHistorySql(context.inputs.history, row, context.runUrl)),
      historyPrivilegeHints(context.inputs.history),
    );
    const skipped = context.migrations.versioned.filter(
      (file) => compareVersions(file.version as Version, version) <= 0,
    ).length;
    const note = `Marked at version ${version.text}: ${skipped} migration file(s) at or below it will never run on this database.`;
    log.info(`${context.connection.target}: ${note}`);
    return { ...(await settle(context, outcome)), note };
  });
