import { ConfigurationError } from '../../../../shared/src/errors.ts';
import { parseCompression } from './compression.ts';
import type { DumpOptions } from '../inputs.ts';
import type { PgTool } from './pg-tools.ts';

/** pg_dump's arguments for a custom-format archive on stdout; the connection comes from libpq's environment. */
export function pgDumpArgs(options: DumpOptions, pgDump: PgTool, snapshot: string | undefined): string[] {
  const args = ['--format=custom', '--no-password'];
  if (options.compression !== undefined) {
    const compression = parseCompression(options.compression);
    if (compression && pgDump.major < compression.sinceMajor) {
      throw new ConfigurationError(
        `Input "compression" is "${options.compression}", which pg_dump accepts from version ${compression.sinceMajor}; ${pgDump.path} is ${pgDump.version}.`,
        { input: 'compression', hint: 'use a gzip level 0-9, or a newer pg_dump (pg-dump-path)' },
      );
    }
    args.push(`--compress=${options.compression}`);
  }
  for (const schema of options.schemas) args.push(`--schema=${schema}`);
  for (const schema of options.excludeSchemas) args.push(`--exclude-schema=${schema}`);
  for (const table of options.tables) args.push(`--table=${table}`);
  for (const table of options.excludeTables) args.push(`--exclude-table=${table}`);
  for (const table of options.excludeTableData) args.push(`--exclude-table-data=${table}`);
  if (snapshot !== undefined) args.push(`--snapshot=${snapshot}`);
  return args;
}
