import type { SqlType } from './sql-type.ts';

/**
 * Whether ALTER COLUMN … TYPE rewrites the table. PostgreSQL skips the rewrite when the old type is
 * binary coercible to the new one and USING does not change the value (ALTER TABLE's notes), which
 * its length-coercion support functions extend to modifier changes that cannot change a value:
 * - varchar(n) to varchar(m >= n), to varchar, or to text; text to varchar (no length); varbit alike;
 * - numeric(p, s) to numeric(p2 >= p, s) or to numeric without precision;
 * - timestamp, timestamptz, time and timetz to a higher precision or none;
 * - timestamp to timestamptz and back (PostgreSQL 12+) when the session time zone is UTC, whose
 *   offset is zero at every date: elsewhere each value must be shifted by the zone's offset. The
 *   indexes on the column are still rebuilt (their operator class changes), as they are for a
 *   change of collation.
 * Anything else rewrites the table, or may (a type lint does not know, a domain, an array).
 */

export type TypeChangeVerdict =
  /** `rebuildsIndexes`: the table stays, but the indexes on the column are built again. */
  | { rewrites: false; why: string; rebuildsIndexes?: boolean }
  | { rewrites: true; why: string }
  /** Types lint cannot judge: the finding stays, with the general rule. */
  | { rewrites: undefined };

export interface SessionFacts {
  /** server_version_num; undefined without a database. */
  serverVersion: number | undefined;
  /** The session's TimeZone at the statement; undefined when lint cannot tell. */
  timeZone: string | undefined;
}

const LENGTH_TYPES = new Set(['varchar', 'varbit']);
const TIME_TYPES = new Set(['timestamp', 'timestamptz', 'time', 'timetz']);
/** Above this a time precision means the same as none: microseconds. */
const MAX_TIME_PRECISION = 6;
const TIMESTAMP_WITHOUT_REWRITE_IN_UTC = 120000;
/** Built-in types among which no change other than the ones above is binary coercible. */
const KNOWN = new Set([
  ...LENGTH_TYPES,
  ...TIME_TYPES,
  'text',
  'numeric',
  'int2',
  'int4',
  'int8',
  'float4',
  'float8',
  'bool',
  'date',
  'interval',
  'uuid',
  'json',
  'jsonb',
  'bytea',
]);

/** Zone names whose offset is zero at every date, in any spelling PostgreSQL accepts. */
const UTC_ZONES = new Set(
  ['UTC', 'UCT', 'GMT', 'GMT0', 'GMT+0', 'GMT-0', 'Greenwich', 'Universal', 'Zulu'].flatMap((name) => [
    name.toLowerCase(),
    `etc/${name.toLowerCase()}`,
  ]),
);

export function isUtc(timeZone: string | undefined): boolean {
  return timeZone !== undefined && UTC_ZONES.has(timeZone.toLowerCase());
}

export function judgeTypeChange(from: SqlType, to: SqlType, session: SessionFacts): TypeChangeVerdict {
  if (from.array || to.array) {
    return sameType(from, to)
      ? { rewrites: false, why: 'the type does not change' }
      : { rewrites: undefined };
  }
  if (sameType(from, to)) return { rewrites: false, why: 'the type does not change' };
  if (from.name === to.name && LENGTH_TYPES.has(to.name)) return lengthChange(from, to);
  if (from.name === 'varchar' && to.name === 'text') {
    return { rewrites: false, why: 'varchar is binary coercible to text' };
  }
  if (from.name === 'text' && to.name === 'varchar') {
    return to.modifiers.length === 0
      ? { rewrites: false, why: 'text is binary coercible to varchar without a length' }
      : { rewrites: true, why: `every value is checked against the length ${to.modifiers[0]}` };
  }
  if (from.name === 'numeric' && to.name === 'numeric') return numericChange(from, to);
  if (TIME_TYPES.has(from.name) && TIME_TYPES.has(to.name)) return timeChange(from, to, session);
  if (KNOWN.has(from.name) && KNOWN.has(to.name)) {
    return { rewrites: true, why: `${from.name} is not binary coercible to ${to.name}` };
  }
  return { rewrites: undefined };
}

function sameType(from: SqlType, to: SqlType): boolean {
  return (
    from.name === to.name && from.array === to.array && from.modifiers.join(',') === to.modifiers.join(',')
  );
}

function lengthChange(from: SqlType, to: SqlType): TypeChangeVerdict {
  const [oldLength] = from.modifiers;
  const [newLength] = to.modifiers;
  if (newLength === undefined) return { rewrites: false, why: 'removing the length limit changes no value' };
  if (oldLength === undefined)
    return { rewrites: true, why: `every value is checked against the length ${newLength}` };
  return newLength >= oldLength
    ? { rewrites: false, why: `a longer limit (${oldLength} to ${newLength}) changes no value` }
    : { rewrites: true, why: `a shorter limit (${oldLength} to ${newLength}) checks every value` };
}

function numericChange(from: SqlType, to: SqlType): TypeChangeVerdict {
  const [oldPrecision, oldScale] = from.modifiers;
  const [newPrecision, newScale] = to.modifiers;
  if (newPrecision === undefined)
    return { rewrites: false, why: 'numeric without precision holds every value' };
  if (oldPrecision === undefined) {
    return { rewrites: true, why: `every value is rounded to numeric(${newPrecision}, ${newScale})` };
  }
  if (oldScale === newScale && newPrecision >= oldPrecision) {
    return { rewrites: false, why: 'a higher precision with the same scale changes no value' };
  }
  return {
    rewrites: true,
    why:
      oldScale === newScale
        ? 'a lower precision checks every value'
        : `a different scale (${oldScale} to ${newScale}) rounds or pads every value`,
  };
}

function timeChange(from: SqlType, to: SqlType, session: SessionFacts): TypeChangeVerdict {
  const [oldPrecision] = from.modifiers;
  const [newPrecision] = to.modifiers;
  const keepsPrecision =
    newPrecision === undefined ||
    newPrecision >= MAX_TIME_PRECISION ||
    (oldPrecision !== undefined && newPrecision >= oldPrecision);
  if (!keepsPrecision) return { rewrites: true, why: `every value is rounded to precision ${newPrecision}` };
  if (from.name === to.name) return { rewrites: false, why: 'a higher precision changes no value' };
  const zones = new Set([from.name, to.name]);
  if (!(zones.has('timestamp') && zones.has('timestamptz'))) {
    return { rewrites: true, why: `${from.name} is not binary coercible to ${to.name}` };
  }
  if (session.serverVersion === undefined) return { rewrites: undefined };
  if (session.serverVersion < TIMESTAMP_WITHOUT_REWRITE_IN_UTC) {
    return { rewrites: true, why: 'before PostgreSQL 12 this change always rewrites the table' };
  }
  if (session.timeZone === undefined) return { rewrites: undefined };
  return isUtc(session.timeZone)
    ? { rewrites: false, why: 'the session time zone is UTC, so no value changes', rebuildsIndexes: true }
    : {
        rewrites: true,
        why: `the session time zone is ${session.timeZone}, not UTC, so every value is shifted by its offset (SET TIME ZONE 'UTC' in the file first avoids the rewrite)`,
      };
}
