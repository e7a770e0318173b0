import type { PostgresError } from './session.ts';
import type { Statement } from '../sql/sql-script.ts';

/**
 * A migration's statements grouped into round trips. Consecutive statements travel together in one
 * simple query (the server runs them one after the other and stops at the first error), so a small
 * migration, with the BEGIN before it and the history row, COMMIT and session reset after it, costs
 * one round trip where psql takes one per statement. A COPY … FROM STDIN goes alone, with its rows
 * streamed after it. When the server answers with an error, `failedStatement` works out which
 * statement it came from: from the error's position in the text sent when it has one, else from
 * the number of statements that completed before it.
 */

export type Batch = SqlBatch | CopyBatch;

export interface SqlBatch {
  kind: 'sql';
  text: string;
  members: Member[];
}

export interface CopyBatch {
  kind: 'copy';
  statement: Statement & { copyData: NonNullable<Statement['copyData']> };
}

/** One statement of a batch's text; `statement` is undefined for Gantry's own (BEGIN, the history row…). */
interface Member {
  statement: Statement | undefined;
  /** Where it starts in the text, in JavaScript characters. */
  start: number;
}

export interface BatchOptions {
  /** Gantry's statements before the first of the file's, and after the last. */
  before: string[];
  after: string[];
  /**
   * One of the file's statements per round trip: before PostgreSQL 13, statement_timeout covers a
   * whole simple query rather than each statement in it.
   */
  oneByOne: boolean;
}

/**
 * A batch's text grows to about this size: past it a new round trip starts, so a file of a
 * hundred thousand INSERTs is not parsed by the server all at once.
 */
const MAX_BATCH_CHARS = 256 * 1024;
/** The newline before the semicolon ends a `--` comment that a statement's text may finish with. */
const SEPARATOR = '\n;\n';

export function batchStatements(statements: readonly Statement[], options: BatchOptions): Batch[] {
  const batches: Batch[] = [];
  let current: SqlBatch | undefined;
  const add = (sql: string, statement: Statement | undefined): void => {
    const split =
      current !== undefined &&
      ((options.oneByOne && statement !== undefined && current.members.some((member) => member.statement)) ||
        current.text.length + sql.length > MAX_BATCH_CHARS);
    if (!current || split) {
      current = { kind: 'sql', text: '', members: [] };
      batches.push(current);
    }
    if (current.members.length > 0) current.text += SEPARATOR;
    current.members.push({ statement, start: current.text.length });
    current.text += sql;
  };
  for (const sql of options.before) add(sql, undefined);
  for (const statement of statements) {
    if (statement.copyData) {
      batches.push({ kind: 'copy', statement: statement as CopyBatch['statement'] });
      current = undefined;
    } else {
      add(statement.sql, statement);
    }
  }
  for (const sql of options.after) add(sql, undefined);
  return batches;
}

/**
 * The statement of `batch` an error came from, and the file's line: `completed` is how many of the
 * batch's statements had completed. Undefined statement: one of Gantry's own.
 */
export function failedStatement(
  batch: Batch,
  error: unknown,
  completed: number,
): { statement: Statement | undefined; line: number | undefined } {
  if (batch.kind === 'copy')
    return { statement: batch.statement, line: copyErrorLine(batch.statement, error) };
  return statementAt(batch, positionIndex(batch.text, error), completed);
}

/**
 * The statement of `batch` at `index` in its text (where the server's error position points), or,
 * without one, the one after the `completed` statements.
 */
export function statementAt(
  batch: SqlBatch,
  index: number | undefined,
  completed: number,
): { statement: Statement | undefined; line: number | undefined } {
  if (index !== undefined) {
    const member = batch.members.findLast((each) => each.start <= index);
    if (member?.statement) {
      const before = batch.text.slice(member.start, index);
      return { statement: member.statement, line: member.statement.line + countNewlines(before) };
    }
    if (member) return { statement: undefined, line: undefined };
  }
  const statement = batch.members[completed]?.statement;
  return { statement, line: statement?.line };
}

/** The JavaScript index in `text` of the server's error position (1-based, counted in characters). */
export function positionIndex(text: string, error: unknown): number | undefined {
  const position = Number((error as PostgresError | undefined)?.position);
  if (!Number.isInteger(position) || position < 1) return undefined;
  let index = 0;
  for (let seen = 1; seen < position && index < text.length; seen++) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return index;
}

/** A bad row: the server's context says `COPY t, line 3, column b: "x"`, counted from the first row. */
function copyErrorLine(statement: CopyBatch['statement'], error: unknown): number {
  const where = (error as PostgresError | undefined)?.where ?? '';
  const match = /\bCOPY [^,]*, line (\d+)/.exec(where);
  return match ? statement.copyData.line + Number(match[1]) - 1 : statement.line;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** A statement sent on its own, as a batch of one. */
export function singleStatement(statement: Statement): Batch {
  return statement.copyData
    ? { kind: 'copy', statement: statement as CopyBatch['statement'] }
    : { kind: 'sql', text: statement.sql, members: [{ statement, start: 0 }] };
}

/** Where each of the batches joined by `joinBatches` lies in the joined one. */
export interface JoinedPart {
  /** Its text's start and end in the joined text, in JavaScript characters. */
  start: number;
  end: number;
  /** The index of its first statement among the joined batch's members, and how many it has. */
  firstMember: number;
  members: number;
}

/** Several batches as one: their texts one after the other, so they travel in one round trip. */
export function joinBatches(batches: readonly SqlBatch[]): { batch: SqlBatch; parts: JoinedPart[] } {
  const joined: SqlBatch = { kind: 'sql', text: '', members: [] };
  const parts: JoinedPart[] = [];
  for (const batch of batches) {
    if (joined.members.length > 0) joined.text += SEPARATOR;
    const start = joined.text.length;
    parts.push({
      start,
      end: start + batch.text.length,
      firstMember: joined.members.length,
      members: batch.members.length,
    });
    for (const member of batch.members)
      joined.members.push({ statement: member.statement, start: start + member.start });
    joined.text += batch.text;
  }
  return { batch: joined, parts };
}
