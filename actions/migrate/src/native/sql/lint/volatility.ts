import { strings } from '../parse-nodes.ts';

/**
 * Which functions are VOLATILE, for the ADD COLUMN … DEFAULT rule: since PostgreSQL 11 a non-volatile
 * default (a constant, or a STABLE function such as now(), evaluated once) is stored in the catalog
 * and the table is not rewritten; a volatile one is evaluated for every existing row, which rewrites
 * the table. Without the database lint knows only the built-in and common extension functions below;
 * with it, pg_proc.provolatile answers for any other name, and CREATE FUNCTION earlier in the batch
 * (VOLATILE unless it says otherwise) for functions the database does not have yet.
 */
export const WELL_KNOWN_VOLATILE: ReadonlySet<string> = new Set([
  'random',
  'random_normal',
  'setseed',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setval',
  'currval',
  'lastval',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  // uuid-ossp and pgcrypto
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'gen_random_bytes',
  'gen_salt',
]);

/** The name of the first function `expression` calls that `isVolatile` says is volatile. */
export function volatileCall(expression: unknown, isVolatile: (name: string) => boolean): string | undefined {
  for (const name of calledFunctions(expression)) if (isVolatile(name)) return name;
  return undefined;
}

/** The (unqualified) names of the functions an expression calls, in order. */
export function calledFunctions(expression: unknown, names: string[] = []): string[] {
  if (Array.isArray(expression)) {
    for (const item of expression) calledFunctions(item, names);
  } else if (typeof expression === 'object' && expression !== null) {
    const call = (expression as { FuncCall?: { funcname?: Parameters<typeof strings>[0] } }).FuncCall;
    const name = call ? strings(call.funcname).at(-1) : undefined;
    if (name) names.push(name);
    for (const value of Object.values(expression)) calledFunctions(value, names);
  }
  return names;
}

/** The volatility CREATE FUNCTION declares: VOLATILE unless it says IMMUTABLE or STABLE. */
export function declaredVolatile(options: unknown[] | undefined): boolean {
  for (const option of options ?? []) {
    const element = (option as { DefElem?: { defname?: string; arg?: { String?: { sval?: string } } } })
      .DefElem;
    if (element?.defname === 'volatility') return element.arg?.String?.sval === 'volatile';
  }
  return true;
}
