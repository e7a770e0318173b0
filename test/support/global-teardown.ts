import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Stops what the global setup started. Free of relative imports for the same reason as the setup. */
export default async function globalTeardown(): Promise<void> {
  const root = join(import.meta.dirname, '..', '..');
  const { teardownPostgres } = await import(
    pathToFileURL(join(root, 'test', 'support', 'postgres-global.ts')).href
  );
  await teardownPostgres();
  const { teardownS3 } = await import(pathToFileURL(join(root, 'test', 'support', 's3-global.ts')).href);
  await teardownS3();
}
