import type { Statement } from './sql-script.ts';

/**
 * What is run, and retried, as one outside a transaction: a statement on its own, or a transaction
 * of the file's own, from its BEGIN to its COMMIT or ROLLBACK. A lock timeout inside such a
 * transaction aborts all of it, so retrying the one statement would only meet "current transaction
 * is aborted".
 */
export function retryUnits(statements: Statement[]): Statement[][] {
  const units: Statement[][] = [];
  let block: Statement[] | undefined;
  for (const statement of statements) {
    if (block) {
      block.push(statement);
      if (closesBlock(statement)) block = undefined;
    } else if (opensBlock(statement)) {
      block = [statement];
      units.push(block);
    } else {
      units.push([statement]);
    }
  }
  return units;
}

export function opensBlock({ node }: Statement): boolean {
  const kind = 'TransactionStmt' in node ? node.TransactionStmt.kind : undefined;
  return kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START';
}

/** COMMIT (END), ROLLBACK (ABORT) or PREPARE TRANSACTION; not COMMIT AND CHAIN, which starts the next. */
function closesBlock({ node }: Statement): boolean {
  if (!('TransactionStmt' in node) || node.TransactionStmt.chain) return false;
  const kind = node.TransactionStmt.kind;
  return kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE';
}
