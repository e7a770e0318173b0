import type { Node, ParseResult } from 'libpg-query';
import type { LineIndex } from './line-index.ts';
import { SqlSyntaxError, type SqlParser, type Statement } from './statement.ts';

/**
 * A file's statements, split and classified by PostgreSQL's parser, with the data of each
 * `COPY … FROM STDIN` taken out of the SQL, as psql takes it: the lines after the COPY's semicolon,
 * up to a line holding only `\.` (or the end of the file), are rows for the server, not SQL.
 *
 * A file without such a COPY is parsed once, as a whole. When a COPY is there, the parser meets its
 * rows as a syntax error; the SQL before that error is parsed again, cut after a semicolon, to find
 * the COPY that starts the rows. Whatever SQL follows the rows is parsed the same way from the line
 * after `\.`. A syntax error with no COPY … FROM STDIN before it is reported as it is.
 */
export function splitStatements(bytes: Buffer, lines: LineIndex, parser: SqlParser): Statement[] {
  const statements: Statement[] = [];
  let from = 0;
  while (from < bytes.length) {
    const parsed = parseRange(bytes, from, bytes.length, parser);
    if (!parsed) break;
    const candidates =
      'failure' in parsed ? copyBefore(bytes, from, parsed.failure.offset, parser) : parsed.statements;
    const copyIndex = candidates ? candidates.findIndex(({ node }) => isCopyFromStdin(node)) : -1;
    if (!candidates || copyIndex === -1) {
      if ('failure' in parsed) throw syntaxError(parsed.failure, lines);
      statements.push(...parsed.statements.map((raw) => statementOf(raw, bytes, lines)));
      break;
    }
    // Whatever the parser made of the lines after the COPY was its rows.
    const copy = candidates[copyIndex] as RawStatement;
    statements.push(...candidates.slice(0, copyIndex).map((raw) => statementOf(raw, bytes, lines)));
    const data = copyDataAfter(copy, bytes, lines);
    statements.push({ ...statementOf(copy, bytes, lines), copyData: data.copyData });
    from = data.next;
  }
  return statements;
}

/** A statement as the parser located it: absolute byte offsets, `end` just before its semicolon. */
interface RawStatement {
  start: number;
  end: number;
  /** Whether a semicolon ends it (the last statement of a file may go without). */
  terminated: boolean;
  node: Node;
}

interface ParseFailure {
  message: string;
  /** Absolute byte offset of the error. */
  offset: number;
}

/** Parses bytes [from, to); undefined when there is nothing but white space. */
function parseRange(
  bytes: Buffer,
  from: number,
  to: number,
  parser: SqlParser,
): { statements: RawStatement[] } | { failure: ParseFailure } | undefined {
  const text = bytes.subarray(from, to).toString('utf8');
  if (text.trim() === '') return undefined;
  let result: ParseResult;
  try {
    result = parser.parse(text);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    // The parser's cursor counts characters (code points); offsets here are bytes.
    const offset = from + byteOffsetOfCodePoint(text, details?.cursorPosition ?? 0);
    return { failure: { message: (error as Error).message, offset } };
  }
  const statements = (result.stmts ?? []).flatMap((raw): RawStatement[] => {
    if (!raw.stmt) return [];
    // Byte offsets: the parser counts UTF-8 bytes in locations, not characters.
    const start = from + (raw.stmt_location ?? 0);
    const end = raw.stmt_len ? start + raw.stmt_len : to;
    return [{ start, end, terminated: bytes[end] === SEMICOLON && end < to, node: raw.stmt }];
  });
  return { statements };
}

/**
 * The statements before a syntax error at `errorOffset`, when they include a COPY … FROM STDIN
 * whose rows could be what the parser choked on: the longest prefix ending in a semicolon that
 * parses. Each try ends before the last one's error, so this ends.
 */
function copyBefore(
  bytes: Buffer,
  from: number,
  errorOffset: number,
  parser: SqlParser,
): RawStatement[] | undefined {
  let limit = errorOffset;
  for (;;) {
    const semicolon = limit > from ? bytes.lastIndexOf(SEMICOLON, limit - 1) : -1;
    if (semicolon < from) return undefined;
    const prefix = parseRange(bytes, from, semicolon + 1, parser);
    if (!prefix) return undefined;
    if (!('failure' in prefix)) return prefix.statements;
    limit = Math.min(prefix.failure.offset, semicolon);
  }
}

/** COPY … FROM STDIN; not FROM a server file or PROGRAM, which the server reads itself. */
function isCopyFromStdin(node: Node): boolean {
  return 'CopyStmt' in node && node.CopyStmt.is_from === true && node.CopyStmt.filename === undefined;
}

const SEMICOLON = 0x3b;
const NEWLINE = 0x0a;
const END_OF_DATA = Buffer.from('\\.');

/**
 * The rows of a COPY … FROM STDIN: from the line after its semicolon to the first line that holds
 * only `\.` (a CR before the newline allowed), or to the end of the file; `next` is where SQL
 * starts again.
 */
function copyDataAfter(
  copy: RawStatement,
  bytes: Buffer,
  lines: LineIndex,
): { copyData: Statement['copyData']; next: number } {
  const line = lines.lineAt(copy.start);
  if (!copy.terminated) {
    throw new SqlSyntaxError(
      'COPY … FROM STDIN must end with a semicolon, with its rows on the lines after it and a line "\\." after the last row',
      line,
      1,
    );
  }
  const lineEnd = bytes.indexOf(NEWLINE, copy.end);
  const rest = bytes.subarray(copy.end + 1, lineEnd === -1 ? bytes.length : lineEnd).toString('utf8');
  if (!/^\s*(--.*)?$/.test(rest)) {
    throw new SqlSyntaxError(
      `text after the semicolon of COPY … FROM STDIN on the same line ("${rest.trim()}"): its rows start on the next line, so put that text on a line of its own`,
      lines.lineAt(copy.end),
      lines.columnAt(copy.end + 1),
    );
  }
  const start = lineEnd === -1 ? bytes.length : lineEnd + 1;
  for (
    let marker = bytes.indexOf(END_OF_DATA, start);
    marker !== -1;
    marker = bytes.indexOf(END_OF_DATA, marker + 1)
  ) {
    if (marker !== start && bytes[marker - 1] !== NEWLINE) continue;
    let after = marker + END_OF_DATA.length;
    if (bytes[after] === 0x0d) after++;
    if (after < bytes.length && bytes[after] !== NEWLINE) continue;
    return {
      copyData: { bytes: bytes.subarray(start, marker), line: lines.lineAt(start) },
      next: Math.min(after + 1, bytes.length),
    };
  }
  return { copyData: { bytes: bytes.subarray(start), line: lines.lineAt(start) }, next: bytes.length };
}

function statementOf(raw: RawStatement, bytes: Buffer, lines: LineIndex): Statement {
  const sql = bytes.subarray(raw.start, raw.end).toString('utf8').trimEnd();
  return {
    sql,
    line: lines.lineAt(raw.start),
    endLine: lines.lineAt(raw.start + Buffer.byteLength(sql, 'utf8') - 1),
    kind: Object.keys(raw.node)[0] as string,
    node: raw.node,
  };
}

function syntaxError(failure: ParseFailure, lines: LineIndex): SqlSyntaxError {
  return new SqlSyntaxError(failure.message, lines.lineAt(failure.offset), lines.columnAt(failure.offset));
}

/** The UTF-8 byte offset of the `index`-th code point of `text`. */
function byteOffsetOfCodePoint(text: string, index: number): number {
  let bytes = 0;
  let seen = 0;
  for (const character of text) {
    if (seen === index) break;
    const point = character.codePointAt(0) as number;
    bytes += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
    seen++;
  }
  return bytes;
}
