import type { Node, RangeVar, TypeName } from 'libpg-query';
import { relationKey as key } from './lint/catalog-facts.ts';
import { strings } from './parse-nodes.ts';

/**
 * What the batch has done to tables so far, as lint follows it file by file: the tables it created,
 * which are new and empty, and the column types it declared. A name matches only when written the
 * same way: schema-qualified, the same schema; unqualified, a table created unqualified, and only
 * while the name resolves the same way. Whatever is in doubt counts as an existing table, so a
 * destructive statement on it is flagged rather than let through.
 */
export class CreatedTables {
  /** relationKey()s of the tables created. */
  private readonly names = new Set<string>();
  /** Temporary tables created ON COMMIT DROP: gone when the file's transaction commits. */
  private readonly dropAtCommit = new Set<string>();
  private resolutionChangedInFile = false;
  /** Table names an existing table may carry by now (renamed or moved to it): the catalog's answer for them is stale. */
  private readonly taken = new Set<string>();
  /** Column types the batch declared (ADD COLUMN, ALTER COLUMN TYPE), by relationKey then column. */
  private readonly declared = new Map<string, Map<string, TypeName | undefined>>();
  /** Table and column names (NUL-joined, any schema) whose type the batch changed: the catalog's type is stale. */
  private readonly touched = new Set<string>();
  /** Existing tables the batch dropped, by relationKey: CREATE TABLE IF NOT EXISTS under that name makes a new one. */
  private readonly dropped = new Set<string>();

  add(relation: RangeVar, { outside, dropAtCommit }: { outside: boolean; dropAtCommit: boolean }): void {
    // Outside a transaction each statement commits on its own, so such a table is gone at once.
    if (dropAtCommit && outside) return;
    this.names.add(key(relation));
    if (dropAtCommit) this.dropAtCommit.add(key(relation));
  }

  has(relation: RangeVar): boolean {
    return this.names.has(key(relation));
  }

  forget(relation: RangeVar): void {
    this.names.delete(key(relation));
  }

  /** DROP TABLE of a table the batch did not create: the name is free from here on. */
  drop(relation: RangeVar): void {
    this.dropped.add(key(relation));
  }

  /** The name was dropped earlier in the batch and nothing has taken it since. */
  wasDropped(relation: RangeVar): boolean {
    return this.dropped.has(key(relation));
  }

  /** Forgets the name in every schema: an existing table may carry it now. */
  forgetName(relation: RangeVar): void {
    for (const name of this.names) {
      if (name.slice(name.indexOf('\0') + 1) === relation.relname) this.names.delete(name);
    }
    for (const names of [this.declared.keys(), this.dropped.keys()]) {
      for (const name of names) {
        if (name.slice(name.indexOf('\0') + 1) === relation.relname) {
          this.declared.delete(name);
          this.dropped.delete(name);
        }
      }
    }
    if (relation.relname) this.taken.add(relation.relname);
  }

  /**
   * Whether the database's answer about this name still holds at this point of the batch: no
   * existing table was renamed or moved to the name, and an unqualified name still resolves as it
   * does in a fresh session (the one the catalog was read in).
   */
  trustsDatabase(relation: RangeVar): boolean {
    if (this.taken.has(String(relation.relname))) return false;
    return relation.schemaname !== undefined || !this.resolutionChangedInFile;
  }

  /** ADD COLUMN or ALTER COLUMN … TYPE: the column has this type from now on. */
  declareColumn(relation: RangeVar, column: string, type: TypeName | undefined): void {
    const columns = this.declared.get(key(relation)) ?? new Map<string, TypeName | undefined>();
    columns.set(column, type);
    this.declared.set(key(relation), columns);
    this.touched.add(`${relation.relname}\0${column}`);
  }

  /** DROP COLUMN or RENAME COLUMN: whatever carries the name now, its type is unknown. */
  forgetColumn(relation: RangeVar, column: string): void {
    this.declareColumn(relation, column, undefined);
  }

  /**
   * The column's type as the batch declared it: `declared` with the type (undefined when the batch
   * lost track of it), or `database` when the batch never changed it and the catalog's type holds.
   */
  columnType(relation: RangeVar, column: string): { declared: TypeName | undefined } | 'database' {
    const columns = this.declared.get(key(relation));
    if (columns?.has(column)) return { declared: columns.get(column) };
    return this.touched.has(`${relation.relname}\0${column}`) ? { declared: undefined } : 'database';
  }

  /**
   * search_path or the role ("$user" in search_path) changed: an unqualified name may now mean a
   * table in another schema. Gantry resets the session after each file, so names created after the
   * change mean something else again in the next file.
   */
  resolutionChanged(): void {
    this.forgetUnqualified();
    this.resolutionChangedInFile = true;
  }

  endFile(): void {
    if (this.resolutionChangedInFile) this.forgetUnqualified();
    this.resolutionChangedInFile = false;
    for (const name of this.dropAtCommit) this.names.delete(name);
    this.dropAtCommit.clear();
  }

  private forgetUnqualified(): void {
    for (const name of this.names) if (name.startsWith('\0')) this.names.delete(name);
    for (const name of this.declared.keys()) if (name.startsWith('\0')) this.declared.delete(name);
    for (const name of this.dropped) if (name.startsWith('\0')) this.dropped.delete(name);
  }
}

const NAME_RESOLUTION_SETTINGS = new Set(['search_path', 'role', 'session_authorization']);

/**
 * SET or RESET of search_path or the role, RESET ALL, or set_config() anywhere in the statement
 * (`sql`, whose parse tree `node` is).
 */
export function changesNameResolution(node: Node, sql: string): boolean {
  if ('VariableSetStmt' in node) {
    const { kind, name } = node.VariableSetStmt;
    return kind === 'VAR_RESET_ALL' || NAME_RESOLUTION_SETTINGS.has(name ?? '');
  }
  return mayNameSetConfig(sql) && callsSetConfig(node);
}

/**
 * Whether the text can name set_config at all: plain or quoted, the name is in it in some case;
 * only a Unicode-escaped identifier (U&"…") can spell it otherwise. Most statements have neither,
 * and their trees, which can be large, need no walk.
 */
function mayNameSetConfig(sql: string): boolean {
  return /set_config|u&/i.test(sql);
}

function callsSetConfig(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(callsSetConfig);
  if (typeof value !== 'object' || value === null) return false;
  const call = (value as { FuncCall?: { funcname?: Node[] } }).FuncCall;
  if (call && strings(call.funcname).at(-1) === 'set_config') return true;
  return Object.values(value).some(callsSetConfig);
}
