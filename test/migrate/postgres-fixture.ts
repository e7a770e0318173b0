import { afterAll, beforeAll } from '@jest/globals';
import { freshDatabase, sharedPostgresUrl, startPostgres, type PostgresServer } from '../support/postgres.ts';

/**
 * PostgreSQL for a test file: the suite's shared cluster when the jest global setup started one,
 * otherwise a cluster of the file's own, started before its tests and stopped after them (jest's
 * sandboxed `process` never delivers 'exit' to test code, so only afterAll can stop it).
 */
export interface TestPostgres {
  /** The maintenance database's URL, with the superuser's credentials. */
  url(): string;
  /** A new, empty database; returns its URL. */
  freshDatabase(prefix?: string): Promise<string>;
}

export function usePostgres(): TestPostgres {
  let serverUrl: string | undefined;
  let own: PostgresServer | undefined;
  beforeAll(async () => {
    serverUrl = sharedPostgresUrl();
    if (!serverUrl) {
      own = await startPostgres();
      serverUrl = own.url;
    }
  });
  afterAll(async () => {
    await own?.close();
  });
  const url = (): string => {
    if (!serverUrl) throw new Error('usePostgres(): the cluster is only there once beforeAll has run');
    return serverUrl;
  };
  return { url, freshDatabase: (prefix) => freshDatabase(url(), prefix) };
}
