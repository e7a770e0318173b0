import type { Node, ParseResult } from 'libpg-query';

/** One statement of a migration, as PostgreSQL's parser split and classified it. */
export interface Statement {
  /** The statement's text, without the terminating semicolon. */
  sql: string;
  /** 1-based lines of its first and last characters. */
  line: number;
  endLine: number;
  /** The parse tree's node kind: `CreateStmt`, `IndexStmt`, `AlterTableStmt`… */
  kind: string;
  node: Node;
  /** `COPY … FROM STDIN` only: the data rows that follow it in the file. */
  copyData?: CopyData;
}

/** The lines after a `COPY … FROM STDIN;`, up to the `\.` line that ends them (or the end of the file). */
export interface CopyData {
  /** The bytes as written in the file, without the `\.` line: what is streamed to the server. */
  bytes: Buffer;
  /** The file's line of the first data row. */
  line: number;
}

export class SqlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(message);
    this.name = 'SqlSyntaxError';
    this.line = line;
    this.column = column;
  }
}

export interface SqlParser {
  parse(sql: string): ParseResult;
}
