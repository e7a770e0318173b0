import { generateIdentity, identityToRecipient } from 'age-encryption';
import pg from 'pg';
import { runActionBundle, type ActionRun } from '../test/support/action-runner.ts';
import { startPostgres } from '../test/support/postgres.ts';
import { startS3 } from '../test/support/s3.ts';

/**
 * The backup demo: a throwaway PostgreSQL cluster with a small shop database and a local S3
 * (s3rver), and the committed backup bundle run through the runner harness as GitHub would run it:
 * two encrypted backups, the list, a prune dry run (keep-last 1), and a restore of the latest into
 * a second database, whose rows are then compared with the original's.
 */
console.log('Starting a throwaway PostgreSQL cluster and a local S3...');
const server = await startPostgres();
const s3 = await startS3();
let failed = false;
try {
  const source = await server.createDatabase('shop');
  const target = await server.createDatabase('shop_restored');
  await sql(
    source,
    `CREATE TABLE customers (id int PRIMARY KEY, name text);
     CREATE TABLE orders (id serial PRIMARY KEY, customer int REFERENCES customers, total numeric(10,2));
     INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 1000) g;
     INSERT INTO orders (customer, total) SELECT 1 + g % 1000, g * 0.5 FROM generate_series(1, 5000) g;`,
  );
  await s3.createBucket('demo-backups');
  const identity = await generateIdentity();
  const recipient = await identityToRecipient(identity);
  const common = { 'database-url': source, bucket: 'demo-backups', 's3-endpoint': s3.endpoint };

  const steps: [string, Record<string, string>][] = [
    [
      'backup: encrypted to an age recipient, verified, then published',
      { ...common, 'encrypt-to': recipient },
    ],
    ['backup again', { ...common, 'encrypt-to': recipient }],
    ['list: the backups of shop, newest first', { ...common, command: 'list' }],
    ['prune with keep-last 1: a dry run, nothing deleted', { ...common, command: 'prune', 'keep-last': '1' }],
    [
      'restore: the latest backup into shop_restored',
      {
        ...common,
        command: 'restore',
        'target-database-url': target,
        confirm: 'shop_restored',
        'decrypt-identity': identity,
      },
    ],
  ];
  for (const [title, inputs] of steps) {
    const run = await backup(title, inputs, s3.env);
    if (run.exitCode !== 0) failed = true;
  }
  const [original, restored] = await Promise.all([checksum(source), checksum(target)]);
  console.log(`\nshop: ${original}\nshop_restored: ${restored}`);
  if (original !== restored) failed = true;
} finally {
  await s3.close();
  await server.close();
}
console.log(
  failed
    ? '\nDemo FAILED: a step did not end as expected.'
    : '\nDemo finished: every step ended as expected.',
);
process.exitCode = failed ? 1 : 0;

async function backup(
  title: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
): Promise<ActionRun> {
  console.log(`\n=== ${title} ===\n`);
  const run = await runActionBundle({ action: 'backup', inputs, env, timeoutMs: 300_000 });
  console.log(run.log.trimEnd());
  console.log(`\n--- job summary (exit code ${run.exitCode}) ---\n`);
  console.log(run.summary.trimEnd());
  return run;
}

async function sql(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** Row counts and an md5 of every row, per table: equal for equal data. */
async function checksum(url: string): Promise<string> {
  const result = await sql(
    url,
    `SELECT 'customers ' || count(*) || ' rows ' || md5(string_agg(c::text, ',' ORDER BY id)) AS line FROM customers c
     UNION ALL SELECT 'orders ' || count(*) || ' rows ' || md5(string_agg(o::text, ',' ORDER BY id)) FROM orders o`,
  );
  return result.rows.map((row: { line: string }) => row.line).join('; ');
}
