import type { Node, RangeVar } from 'libpg-query';
import { strings } from './parse-nodes.ts';

/**
 * Tables created so far in the batch, which are new and empty. A name matches only when written the
 * same way: schema-qualified, the same schema; unqualified, a table created unqualified, and only
 * while the name resolves the same way. Whatever is in doubt counts as an existing table, so a
 * destructive statement on it is flagged rather than let through.
 */
export class CreatedTables {
  /** Schema and table name joined by a NUL, which no identifier contains; the schema empty when unqualified. */
  private readonly names = new Set<string>();
  /** Temporary tables created ON COMMIT DROP: gone when the file's transaction commits. */
  private readonly dropAtCommit = new Set<string>();
  private resolutionChangedInFile = false;

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

  /** Forgets the name in every schema. */
  forgetName(relation: RangeVar): void {
    for (const name of this.names) {
      if (name.slice(name.indexOf('\0') + 1) === relation.relname) this.names.delete(name);
    }
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
  }
}

function key(relation: RangeVar): string {
  return `${relation.schemaname ?? ''}\0${relation.relname}`;
}

const NAME_RESOLUTION_SETTINGS = new Set(['search_path', 'role', 'session_authorization']);

/** SET or RESET of search_path or the role, RESET ALL, or set_config() anywhere in the statement. */
export function changesNameResolution(node: Node): boolean {
  if ('VariableSetStmt' in node) {
    const { kind, name } = node.VariableSetStmt;
    return kind === 'VAR_RESET_ALL' || NAME_RESOLUTION_SETTINGS.has(name ?? '');
  }
  return callsSetConfig(node);
}

function callsSetConfig(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(callsSetConfig);
  if (typeof value !== 'object' || value === null) return false;
  const call = (value as { FuncCall?: { funcname?: Node[] } }).FuncCall;
  if (call && strings(call.funcname).at(-1) === 'set_config') return true;
  return Object.values(value).some(callsSetConfig);
}
