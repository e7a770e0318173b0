import { formatDuration } from '../../../../../shared/src/formats/duration.ts';
import type { Node } from 'libpg-query';
import type { Session } from './session.ts';
import { quoteIdentifier } from '../sql/sql-quote.ts';

/**
 * After a lock timeout: who holds locks on the tables the statement touches, so the message can say
 * "held by server process 4242 (idle in transaction for 3m)" instead of only "lock timeout". Query
 * texts of other sessions are not shown: they are other people's data.
 */

interface BlockerRow {
  pid: number;
  usename: string | null;
  application_name: string | null;
  state: string | null;
  relation: string;
  mode: string;
  seconds: number | null;
}

const MAX_SHOWN = 3;

export async function describeBlockers(session: Session, statement: Node): Promise<string | undefined> {
  const relations = relationNames(statement);
  if (relations.length === 0) return undefined;
  const rows = await session.query<BlockerRow>(
    `SELECT l.pid, a.usename, a.application_name, a.state, l.relation::regclass::text AS relation, l.mode,
            floor(extract(epoch FROM now() - a.xact_start))::int AS seconds
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.granted AND l.locktype = 'relation' AND l.pid <> pg_backend_pid()
       AND l.relation IN (SELECT to_regclass(name) FROM unnest($1::text[]) AS name)
     ORDER BY a.xact_start NULLS LAST, l.pid`,
    [relations],
  );
  if (rows.length === 0) return undefined;
  const byPid = new Map<number, BlockerRow[]>();
  for (const row of rows) byPid.set(row.pid, [...(byPid.get(row.pid) ?? []), row]);
  const described = [...byPid.values()].slice(0, MAX_SHOWN).map((locks) => {
    const first = locks[0] as BlockerRow;
    const held = locks.map((lock) => `${lock.mode} on ${lock.relation}`).join(', ');
    const age =
      first.seconds === null ? '' : `, transaction open for ${formatDuration(first.seconds * 1000)}`;
    return `server process ${first.pid} (user ${first.usename ?? '?'}, application "${first.application_name ?? ''}", ${first.state ?? 'unknown state'}${age}) holds ${held}`;
  });
  const more = byPid.size > MAX_SHOWN ? ` and ${byPid.size - MAX_SHOWN} more` : '';
  return `${described.join('; ')}${more}`;
}

/** Every table-like name in the parse tree (RangeVar nodes carry `relname`), quoted for to_regclass. */
export function relationNames(node: unknown): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (typeof record.relname === 'string') {
      const schema = typeof record.schemaname === 'string' ? `${quoteIdentifier(record.schemaname)}.` : '';
      names.add(`${schema}${quoteIdentifier(record.relname)}`);
    }
    Object.values(record).forEach(visit);
  };
  visit(node);
  return [...names];
}
