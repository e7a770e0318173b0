import type { ColumnDef, Constraint, RangeVar } from 'libpg-query';
import { strings } from '../parse-nodes.ts';
import { isNewTable, relationFacts, type StatementContext } from './context.ts';
import { tableName } from './finding.ts';
import { rankBySize, sizeNote } from './table-size.ts';
import { volatileCall } from './volatility.ts';

/**
 * ADD COLUMN on a table that has rows. Since PostgreSQL 11 a column added with no default or a
 * non-volatile one is a catalog change: the value is stored once and existing rows read it from
 * there. The table and its indexes are rewritten under an ACCESS EXCLUSIVE lock when every row needs
 * a value of its own (ALTER TABLE's notes): a volatile DEFAULT, a serial column (its default is
 * nextval()), an identity column (each row takes a value from its sequence), a stored generated
 * column (computed per row), or a domain type with constraints (CHECK or NOT NULL: PostgreSQL counts
 * the coercion to it as volatile and checks every row, default or not). A NOT NULL column with none
 * of these fails on the first existing row.
 */

const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

export function lintAddColumn(column: ColumnDef, relation: RangeVar, context: StatementContext): void {
  if (isNewTable(context, relation)) return;
  const { report } = context;
  const table = tableName(relation);
  const constraints = (column.constraints ?? []).flatMap((node) =>
    'Constraint' in node ? [node.Constraint] : [],
  );
  const types = new Set(constraints.map((constraint) => constraint.contype));
  const typeNames = strings(column.typeName?.names);
  const serial =
    typeNames.length === 1 &&
    SERIAL_TYPES.has(typeNames[0] as string) &&
    (column.typeName?.arrayBounds ?? []).length === 0;
  const byDefault = constraints.find((constraint) => constraint.contype === 'CONSTR_DEFAULT');
  const stored = constraints.find(
    (constraint) => constraint.contype === 'CONSTR_GENERATED' && constraint.generated_kind !== 'v',
  );
  const notNull = types.has('CONSTR_NOTNULL') || types.has('CONSTR_PRIMARY');
  const filled = serial || byDefault || types.has('CONSTR_IDENTITY') || types.has('CONSTR_GENERATED');
  if (notNull && !filled) {
    report(
      'add-not-null-column',
      `ADD COLUMN ${column.colname} NOT NULL without a DEFAULT fails on ${table} as soon as the table has rows: ` +
        'give it a non-volatile DEFAULT (a constant, or a STABLE function such as now(): PostgreSQL 11+ stores it without rewriting the table), ' +
        'or add it nullable, backfill, then set NOT NULL.',
    );
  }
  const rewrite = rewriteReason(
    column,
    { serial, byDefault, identity: types.has('CONSTR_IDENTITY'), stored },
    context,
  );
  if (rewrite) {
    const facts = relationFacts(context, relation);
    report(
      rewrite.rule,
      `ADD COLUMN ${column.colname} rewrites ${table}${sizeNote(facts)} and all its indexes under an ACCESS EXCLUSIVE lock that blocks reads and writes: ` +
        `${rewrite.why} ${rewrite.fix}`,
      { severity: rankBySize(facts) },
    );
  }
  if (types.has('CONSTR_PRIMARY') || types.has('CONSTR_UNIQUE')) {
    report(
      types.has('CONSTR_PRIMARY') ? 'add-primary-key' : 'add-unique-constraint',
      `ADD COLUMN ${column.colname} ${types.has('CONSTR_PRIMARY') ? 'PRIMARY KEY' : 'UNIQUE'} builds an index on ${table} while holding an ACCESS EXCLUSIVE lock that blocks reads and writes.`,
    );
  }
}

function rewriteReason(
  column: ColumnDef,
  how: {
    serial: boolean;
    byDefault: Constraint | undefined;
    identity: boolean;
    stored: Constraint | undefined;
  },
  context: StatementContext,
): { rule: string; why: string; fix: string } | undefined {
  const name = column.colname;
  const backfill = 'backfill the existing rows in batches';
  if (how.serial) {
    return {
      rule: 'add-column-volatile-default',
      why: "a serial column's default, nextval(), is VOLATILE, so every existing row gets a value of its own.",
      fix: `Add ${name} as a nullable integer column, create the sequence and SET DEFAULT nextval(…) (new rows only, no rewrite), then ${backfill}.`,
    };
  }
  if (how.identity) {
    return {
      rule: 'add-column-volatile-default',
      why: 'every existing row takes a value from the identity sequence.',
      fix: `Add ${name} nullable, ${backfill}, make it NOT NULL (CHECK … NOT VALID, VALIDATE, then SET NOT NULL), then ALTER COLUMN ${name} ADD GENERATED … AS IDENTITY (START WITH past the highest value), which does not rewrite.`,
    };
  }
  const volatile = how.byDefault
    ? volatileCall(how.byDefault.raw_expr, (fn) => context.isVolatile(fn))
    : undefined;
  if (volatile) {
    return {
      rule: 'add-column-volatile-default',
      why: `its DEFAULT calls ${volatile}(), which is VOLATILE, so it is evaluated for every existing row (PostgreSQL 11+ skips the rewrite only for a non-volatile default).`,
      fix: `Add ${name} without the default (or with a constant one), ALTER COLUMN ${name} SET DEFAULT for new rows (no rewrite), then ${backfill}.`,
    };
  }
  if (how.stored) {
    return {
      rule: 'add-generated-column',
      why: 'a stored generated column is computed and written for every existing row.',
      fix: `On PostgreSQL 18+ make it VIRTUAL, which adds without a rewrite; otherwise add ${name} as a plain nullable column kept up to date by a trigger, and ${backfill}.`,
    };
  }
  const typeNames = strings(column.typeName?.names);
  if ((column.typeName?.arrayBounds ?? []).length === 0 && context.isConstrainedDomain(typeNames)) {
    return {
      rule: 'add-column-constrained-domain',
      why: `its type ${typeNames.join('.')} is a domain with constraints (CHECK or NOT NULL), which PostgreSQL checks by writing every existing row, with or without a DEFAULT.`,
      fix: `Add ${name} with the domain's base type and its check as a CHECK constraint added NOT VALID, then VALIDATE CONSTRAINT in a later migration, which lets writes go on.`,
    };
  }
  return undefined;
}
