import type { Report } from './finding.ts';

/** Transaction control inside a file Gantry runs in its own transaction. */
export function lintTransaction(kind: string | undefined, report: Report, outside: boolean): void {
  // Savepoints work inside Gantry's transaction; files run outside one may manage their own.
  if (
    outside ||
    kind === 'TRANS_STMT_SAVEPOINT' ||
    kind === 'TRANS_STMT_RELEASE' ||
    kind === 'TRANS_STMT_ROLLBACK_TO'
  ) {
    return;
  }
  report(
    'transaction-control',
    `${transactionWord(kind)} in a migration: Gantry runs each file in its own transaction, and this would end it early, ` +
      'so a later failure could no longer be rolled back. Remove it (or add "-- gantry:no-transaction" to manage transactions yourself).',
    { severity: 'error' },
  );
}

function transactionWord(kind: string | undefined): string {
  const words: Record<string, string> = {
    TRANS_STMT_BEGIN: 'BEGIN',
    TRANS_STMT_START: 'START TRANSACTION',
    TRANS_STMT_COMMIT: 'COMMIT',
    TRANS_STMT_ROLLBACK: 'ROLLBACK',
    TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
    TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
    TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
  };
  return words[kind ?? ''] ?? 'A transaction statement';
}
