import { readlinkSync, statSync, type Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ConfigurationError, errorMessage } from '../../../../../shared/src/errors.ts';
import { migrationChecksum, rawChecksum } from './checksum.ts';
import { FileArena, type FileBytes } from './file-bytes.ts';
import { classifyName } from './migration-name.ts';
import { compareVersions, type Version } from './version.ts';

/** The migrations found in `migrations-dir`, read and checksummed, before any connection is made. */

export interface MigrationFile {
  kind: 'versioned' | 'repeatable' | 'undo';
  /** Undefined for repeatable migrations. */
  version: Version | undefined;
  description: string;
  /** The path inside migrations-dir, with `/`: what the history table records. */
  script: string;
  /** The path annotations point at: relative to the workspace when inside it. */
  annotationPath: string;
  /** The text as read (a byte-order mark dropped): what is executed. */
  readonly sql: string;
  checksum: string;
}

export interface MigrationSet {
  /** Ascending by version. */
  versioned: MigrationFile[];
  /** By description, the order they are applied in. */
  repeatable: MigrationFile[];
  /** Undo migrations by version key. */
  undo: Map<string, MigrationFile>;
  /** `.sql` files that are not migrations, which are left alone. */
  ignored: string[];
}

const INPUT = 'migrations-dir';

/**
 * Files read between two turns of the event loop. Reading is synchronous (see FileArena), and the
 * connection is being made (and for plan, validate and info the history read) meanwhile: its
 * replies are handled between batches, so the server's work overlaps the reading instead of
 * following it. A batch takes a few milliseconds.
 */
const FILES_PER_TURN = 128;

/** The migrations' names, before any file is read. */
export interface ListedMigrations {
  /** The version of each versioned migration, as written (`1.2`). */
  versions: string[];
}

export interface LoadOptions {
  /**
   * Called once the names are checked (none misnamed, no version or description twice), before the
   * first file is read: what can go wrong from here on is a file that cannot be read or holds a NUL.
   */
  onListed?: (listed: ListedMigrations) => void;
}

/** A migration file as its name describes it. */
interface NamedMigration {
  kind: MigrationFile['kind'];
  version: Version | undefined;
  description: string;
  script: string;
}

export async function loadMigrations(
  dir: string,
  workspace: string,
  { onListed }: LoadOptions = {},
): Promise<MigrationSet> {
  const names = await listSqlFiles(dir);
  const versioned: NamedMigration[] = [];
  const repeatable: NamedMigration[] = [];
  const undoOf: NamedMigration[] = [];
  const ignored: string[] = [];
  const malformed: string[] = [];
  for (const script of names) {
    // The file name after the last `/`, without path.posix.basename's checks on every one of them.
    const verdict = classifyName(script.slice(script.lastIndexOf('/') + 1));
    if (verdict.kind === 'other') ignored.push(script);
    else if (verdict.kind === 'malformed') malformed.push(`${script}: ${verdict.problem}`);
    else {
      const named = { ...verdict, script };
      if (named.kind === 'versioned') versioned.push(named);
      else if (named.kind === 'repeatable') repeatable.push(named);
      else undoOf.push(named);
    }
  }
  if (malformed.length > 0) {
    throw new ConfigurationError(
      `${malformed.length} file(s) in ${INPUT} look like migrations but are misnamed, so they would be skipped: ${malformed.join('; ')}.`,
      {
        input: INPUT,
        hint: 'name migrations V<version>__<description>.sql, R__<description>.sql or U<version>__<description>.sql, and keep other .sql files outside migrations-dir or named otherwise',
      },
    );
  }
  const undo = new Map<string, NamedMigration>();
  for (const named of undoOf) {
    const key = (named.version as Version).key;
    const first = undo.get(key);
    if (first) throw duplicate(first, named);
    undo.set(key, named);
  }
  // Sorting is stable, so two files of the same version (or description) end up side by side, in
  // the order they were listed: no map of every key is needed to find them.
  versioned.sort((a, b) => compareVersions(a.version as Version, b.version as Version));
  throwOnNeighbours(versioned, (a, b) => compareVersions(a.version as Version, b.version as Version) === 0);
  repeatable.sort((a, b) => (a.description < b.description ? -1 : a.description > b.description ? 1 : 0));
  throwOnNeighbours(repeatable, (a, b) => a.description === b.description);
  onListed?.({ versions: versioned.map((named) => (named.version as Version).text) });

  const arena = new FileArena();
  const annotationDir = annotationPrefix(dir, workspace);
  const read = (named: NamedMigration): LoadedMigration => readMigration(arena, dir, named, annotationDir);
  const undoFiles = await readEach([...undo.values()], read);
  return {
    versioned: await readEach(versioned, read),
    repeatable: await readEach(repeatable, read),
    undo: new Map(undoFiles.map((file) => [(file.version as Version).key, file])),
    ignored,
  };
}

/** `read` of each, in order, with a turn of the event loop every FILES_PER_TURN files. */
async function readEach(
  named: readonly NamedMigration[],
  read: (named: NamedMigration) => LoadedMigration,
): Promise<MigrationFile[]> {
  const files: MigrationFile[] = [];
  for (let index = 0; index < named.length; index++) {
    if (index % FILES_PER_TURN === FILES_PER_TURN - 1) await nextTurn();
    files.push(read(named[index] as NamedMigration));
  }
  return files;
}

function readMigration(
  arena: FileArena,
  dir: string,
  { kind, version, description, script }: NamedMigration,
  annotationDir: string,
): LoadedMigration {
  let bytes: FileBytes;
  try {
    bytes = arena.read(`${dir}${path.sep}${script}`);
  } catch (error) {
    throw unreadable(script, error);
  }
  const view = bytes.chunk.subarray(bytes.start, bytes.end);
  // UTF-8 decodes a NUL byte, and only a NUL byte, to U+0000.
  if (view.includes(0)) throw nulByte(script, view);
  const raw = rawChecksum(view);
  const sql = raw === undefined ? decodeSql(bytes) : undefined;
  return new LoadedMigration(
    kind,
    version,
    description,
    script,
    `${annotationDir}${script}`,
    raw ?? migrationChecksum(sql as string),
    bytes,
    sql,
  );
}

function throwOnNeighbours(
  sorted: readonly NamedMigration[],
  same: (a: NamedMigration, b: NamedMigration) => boolean,
): void {
  for (let index = 1; index < sorted.length; index++) {
    const first = sorted[index - 1] as NamedMigration;
    const second = sorted[index] as NamedMigration;
    if (same(first, second)) throw duplicate(first, second);
  }
}

function duplicate(first: NamedMigration, second: NamedMigration): ConfigurationError {
  const what =
    first.kind === 'repeatable'
      ? `the repeatable migration "${first.description}"`
      : `${first.kind === 'undo' ? 'the undo of ' : ''}version ${first.version?.text}`;
  return new ConfigurationError(`${INPUT}: ${first.script} and ${second.script} are both ${what}.`, {
    input: INPUT,
    hint: 'each version (1 and 1.0 are the same version) and each repeatable description may exist once: rename one of them',
  });
}

const BYTE_ORDER_MARK = 0xfeff;

/** A file listed a moment ago that cannot be opened or read: permissions, or removed meanwhile. */
function unreadable(script: string, error: unknown): ConfigurationError {
  return new ConfigurationError(`${INPUT}: ${script} cannot be read: ${errorMessage(error)}.`, {
    input: INPUT,
    hint: 'make the file readable by the runner (and keep other steps from changing migrations-dir while this one runs)',
  });
}

/** PostgreSQL ends a query's text at a NUL byte: the rest of the file would silently not run. */
function nulByte(name: string, bytes: Buffer): ConfigurationError {
  const offset = bytes.indexOf(0);
  const line = bytes.subarray(0, offset).toString('latin1').split('\n').length;
  return new ConfigurationError(
    `${INPUT}: ${name} contains a NUL byte at byte offset ${offset} (line ${line}): PostgreSQL ends a query at a NUL byte, so only the part before it would run.`,
    {
      input: INPUT,
      hint: 'a file saved as UTF-16 (as some Windows editors do) is full of NUL bytes: save it as UTF-8; otherwise remove the byte',
    },
  );
}

/**
 * A migration whose text is decoded when first asked for: plan and validate compare thousands of
 * applied files by checksum alone, and decoding them all (and holding the strings) is most of what
 * loading them would cost. Files whose checksum needed the text have it already.
 */
class LoadedMigration implements MigrationFile {
  readonly kind: MigrationFile['kind'];
  readonly version: Version | undefined;
  readonly description: string;
  readonly script: string;
  readonly annotationPath: string;
  readonly checksum: string;
  private readonly bytes: FileBytes;
  private text: string | undefined;

  constructor(
    kind: MigrationFile['kind'],
    version: Version | undefined,
    description: string,
    script: string,
    annotationPath: string,
    checksum: string,
    bytes: FileBytes,
    text: string | undefined,
  ) {
    this.kind = kind;
    this.version = version;
    this.description = description;
    this.script = script;
    this.annotationPath = annotationPath;
    this.checksum = checksum;
    this.bytes = bytes;
    this.text = text;
  }

  get sql(): string {
    this.text ??= decodeSql(this.bytes);
    return this.text;
  }
}

function decodeSql({ chunk, start, end }: FileBytes): string {
  const text = chunk.toString('utf8', start, end);
  return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
}

/**
 * Every `.sql` file under `dir` (which inputs.ts checked), as sorted paths relative to it with `/`;
 * hidden entries skipped. A symbolic link to a file counts as that file; one to a directory, and
 * one whose target is missing, fail the step rather than leave migrations out unseen.
 */
async function listSqlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .flatMap((entry) => {
      // Most migrations sit at the top: their name is already the path, with nothing to split.
      const top = entry.parentPath === dir;
      const name = top
        ? entry.name
        : `${path.relative(dir, entry.parentPath)}${path.sep}${entry.name}`.split(path.sep).join('/');
      if (top ? name.startsWith('.') : name.split('/').some((part) => part.startsWith('.'))) return [];
      const file = entry.isSymbolicLink() ? linksToFile(dir, name) : entry.isFile();
      return file && entry.name.toLowerCase().endsWith('.sql') ? [name] : [];
    })
    .sort();
}

function linksToFile(dir: string, name: string): boolean {
  const link = path.join(dir, name);
  let target: Stats;
  try {
    target = statSync(link);
  } catch (error) {
    throw new ConfigurationError(
      `${INPUT}: ${name} is a symbolic link to ${readlinkSync(link)}, which cannot be read (${errorMessage(error)}), so the migrations it may hold would be left out.`,
      {
        input: INPUT,
        hint: 'check out what it points at (a submodule, a generated file) before this step, or remove the link',
      },
    );
  }
  if (target.isDirectory()) {
    throw new ConfigurationError(
      `${INPUT}: ${name} is a symbolic link to the directory ${readlinkSync(link)}, which Gantry does not search, so the migrations in it would be left out.`,
      {
        input: INPUT,
        hint: 'move the files into migrations-dir, link them one by one, or point migrations-dir at that directory',
      },
    );
  }
  return target.isFile();
}

/** What annotation paths start with: the directory relative to the workspace when inside it, else absolute. */
function annotationPrefix(dir: string, workspace: string): string {
  const relative = path.relative(workspace, dir);
  if (relative === '') return '';
  const inside = !relative.startsWith('..') && !path.isAbsolute(relative);
  return `${(inside ? relative : dir).split(path.sep).join('/')}/`;
}
