import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { migrationChecksum } from '../../actions/migrate/src/native/files/checksum.ts';

/**
 * The plan/validate fixture: `applied` small migration files in `migrations`, recorded as applied in
 * the history table (which must exist) with one multi-row INSERT, plus one pending file.
 */
export async function writeAppliedHistory(url: string, migrations: string, applied: number): Promise<void> {
  const rows = {
    version: [] as string[],
    description: [] as string[],
    script: [] as string[],
    checksum: [] as string[],
  };
  for (let index = 1; index <= applied; index++) {
    const script = `V${index}__migration_${index}.sql`;
    const sql = `-- Migration ${index}.\nCREATE TABLE IF NOT EXISTS t_${index % 50} (id int);\n`;
    writeFileSync(join(migrations, script), sql);
    rows.version.push(String(index));
    rows.description.push(`migration ${index}`);
    rows.script.push(script);
    rows.checksum.push(migrationChecksum(sql));
  }
  writeFileSync(
    join(migrations, `V${applied + 1}__pending.sql`),
    'CREATE INDEX CONCURRENTLY t_0_id ON t_0 (id);\n',
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO gantry_schema_history (version, description, type, script, checksum, execution_ms, success)
       SELECT v, d, 'versioned', s, c, 1, true FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(v, d, s, c)`,
      [rows.version, rows.description, rows.script, rows.checksum],
    );
  } finally {
    await client.end();
  }
}
