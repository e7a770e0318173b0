import type { TypeName } from 'libpg-query';
import { strings } from '../parse-nodes.ts';

/**
 * A column type as lint compares them: the built-in type's internal name (`varchar`, `numeric`,
 * `timestamptz`) and its modifiers as written (`varchar(20)`: [20]; `numeric(10, 2)`: [10, 2]; none
 * for an unconstrained type). Read the same way from the parse tree and from pg_attribute.atttypmod.
 */
export interface SqlType {
  name: string;
  modifiers: number[];
  array: boolean;
}

/** Types whose modifiers decodeTypmod can read back from atttypmod. */
const DECODED = new Set([
  'varchar',
  'bpchar',
  'numeric',
  'varbit',
  'bit',
  'timestamp',
  'timestamptz',
  'time',
  'timetz',
]);
const VARHDRSZ = 4;

/** The type a statement names, when it is a built-in one (unqualified or in pg_catalog); undefined otherwise. */
export function typeFromParseTree(type: TypeName | undefined): SqlType | undefined {
  const names = strings(type?.names);
  if (!type || names.length === 0 || names.length > 2) return undefined;
  if (names.length === 2 && names[0] !== 'pg_catalog') return undefined;
  const modifiers: number[] = [];
  for (const node of type.typmods ?? []) {
    const value =
      'A_Const' in node ? (node.A_Const.ival?.ival ?? (node.A_Const.ival ? 0 : undefined)) : undefined;
    if (value === undefined) return undefined;
    modifiers.push(value);
  }
  const name = names.at(-1) as string;
  // numeric(p) is numeric(p, 0).
  if (name === 'numeric' && modifiers.length === 1) modifiers.push(0);
  return { name, modifiers, array: (type.arrayBounds ?? []).length > 0 };
}

/** The type pg_attribute holds (typname of a pg_catalog type and atttypmod), in the parse tree's terms. */
export function typeFromCatalog(typname: string, typmod: number, array: boolean): SqlType | undefined {
  if (typmod < 0) return { name: typname, modifiers: [], array };
  if (!DECODED.has(typname)) return undefined;
  if (typname === 'varchar' || typname === 'bpchar')
    return { name: typname, modifiers: [typmod - VARHDRSZ], array };
  if (typname === 'numeric') {
    const packed = typmod - VARHDRSZ;
    // PostgreSQL 15+ allows a negative scale, stored in 11 bits.
    const scale = ((packed & 0x7ff) ^ 1024) - 1024;
    return { name: typname, modifiers: [(packed >> 16) & 0xffff, scale], array };
  }
  return { name: typname, modifiers: [typmod], array };
}

export function typeLabel(type: TypeName | undefined): string {
  const names = strings(type?.names).filter((name) => name !== 'pg_catalog');
  const modifiers = (type?.typmods ?? []).flatMap((node) =>
    'A_Const' in node && node.A_Const.ival?.ival !== undefined ? [String(node.A_Const.ival.ival)] : [],
  );
  return `${names.join('.') || 'another type'}${modifiers.length > 0 ? `(${modifiers.join(', ')})` : ''}${(type?.arrayBounds ?? []).length > 0 ? '[]' : ''}`;
}
