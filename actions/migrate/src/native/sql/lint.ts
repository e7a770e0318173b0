import type { Node, RangeVar, VariableSetStmt } from 'libpg-query';
import type { MigrationFile } from '../files/migration-files.ts';
import { changesNameResolution, CreatedTables } from './created-tables.ts';
import { lintAlterTable } from './lint/alter-table.ts';
import { typeKey, type CatalogFacts } from './lint/catalog-facts.ts';
import { absentFromDatabase, type StatementContext } from './lint/context.ts';
import { lintCreateIndex } from './lint/create-index.ts';
import { lintDelete, lintDrop, lintDropDatabase, lintTruncate } from './lint/destructive.ts';
import type { Finding, Report } from './lint/finding.ts';
import { lintRename } from './lint/renames.ts';
import { lintTransaction } from './lint/transactions.ts';
import { declaredVolatile, WELL_KNOWN_VOLATILE } from './lint/volatility.ts';
import { strings } from './parse-nodes.ts';
import type { Script, Statement } from './sql-script.ts';

/**
 * Lint for the changes that hurt in production, read from the parse tree: destructive statements,
 * renames the running release does not know about, and DDL that locks or rewrites a table that
 * already exists. Tables created earlier in the same batch of pending migrations are new and empty,
 * so the lock and rewrite rules leave them alone. With facts from the database (lint/catalog-facts.ts)
 * lint also knows which tables exist, their size, a column's current type and which functions are
 * volatile; without them it judges from the text alone and keeps the conservative finding.
 */

export type { Finding, Severity } from './lint/finding.ts';

export interface LintTarget {
  migration: MigrationFile;
  script: Script;
}

export interface LintOptions {
  allowDestructive: boolean;
  /** What the database says about the tables, columns and functions the batch names. */
  facts?: CatalogFacts;
}

/** Lints the scripts in the order they would run. */
export function lintScripts(targets: readonly LintTarget[], options: LintOptions): Finding[] {
  const findings: Finding[] = [];
  const created = new CreatedTables();
  const functions = new Map<string, boolean>();
  const { facts } = options;
  const isVolatile = (name: string): boolean => {
    if (WELL_KNOWN_VOLATILE.has(name)) return true;
    const declared = functions.get(name);
    if (declared !== undefined) return declared;
    // Not in the database and not created in a way lint can see: VOLATILE is CREATE FUNCTION's default.
    return facts ? (facts.functions.get(name) ?? true) : false;
  };
  // Domains the batch creates, by bare name (whatever schema it writes): whether they have constraints.
  const domains = new Map<string, boolean>();
  const isConstrainedDomain = (names: readonly string[]): boolean =>
    domains.get(names.at(-1) ?? '') ?? facts?.constrainedDomains.has(typeKey(names)) ?? false;
  for (const { migration, script } of targets) {
    const at =
      (line: number, endLine: number): Report =>
      (rule, message, { destructive = false, severity } = {}) => {
        const refused = destructive && !options.allowDestructive;
        findings.push({
          rule,
          severity: severity ?? (refused ? 'error' : 'warning'),
          destructive,
          script: migration.script,
          file: migration.annotationPath,
          line,
          endLine,
          message: refused ? `${message} Set allow-destructive: true to run it anyway.` : message,
        });
      };
    for (const { directive, line } of script.unknownDirectives) {
      at(line, line)(
        'unknown-directive',
        `"-- gantry:${directive}" is not a Gantry directive (the only one is "-- gantry:no-transaction"), so it has no effect.`,
      );
    }
    const outside = script.outsideTransaction;
    if (outside && script.statements.length > 1) {
      at(outside.line, outside.line)(
        'no-transaction',
        `${migration.script} runs outside a transaction, because of ${outside.reason} (line ${outside.line}): ` +
          `its ${script.statements.length} statements run one by one, and when one fails the ones before it stay applied. ` +
          'Keep such a file to one statement, or make each statement safe to repeat (IF NOT EXISTS).',
        { severity: 'notice' },
      );
    }
    // Gantry resets the session after each file: each starts in the database's time zone.
    let timeZone = facts?.timeZone;
    for (const statement of script.statements) {
      const context: StatementContext = {
        report: at(statement.line, statement.endLine),
        created,
        facts,
        outside: outside !== undefined,
        timeZone,
        isVolatile,
        isConstrainedDomain,
      };
      // One walk of the tree: set_config() may be called anywhere in it.
      const resolution = changesNameResolution(statement.node, statement.sql);
      timeZone = timeZoneAfter(statement.node, timeZone, facts, resolution, outside !== undefined);
      if (resolution) created.resolutionChanged();
      lintStatement(statement, context, functions, domains);
    }
    created.endFile();
  }
  return findings;
}

function lintStatement(
  statement: Statement,
  context: StatementContext,
  functions: Map<string, boolean>,
  domains: Map<string, boolean>,
): void {
  const { created, report, outside } = context;
  const node: Node = statement.node;
  if ('CreateStmt' in node) {
    const { relation, if_not_exists, oncommit } = node.CreateStmt;
    if (relation && (!if_not_exists || surelyCreates(context, relation)))
      created.add(relation, { outside, dropAtCommit: oncommit === 'ONCOMMIT_DROP' });
  } else if ('CreateTableAsStmt' in node) {
    const { into, if_not_exists } = node.CreateTableAsStmt;
    if (into?.rel && (!if_not_exists || surelyCreates(context, into.rel))) {
      created.add(into.rel, { outside, dropAtCommit: into.onCommit === 'ONCOMMIT_DROP' });
    }
  } else if ('SelectStmt' in node && node.SelectStmt.intoClause?.rel) {
    const { rel, onCommit } = node.SelectStmt.intoClause;
    created.add(rel, { outside, dropAtCommit: onCommit === 'ONCOMMIT_DROP' });
  } else if ('CreateFunctionStmt' in node) {
    const name = strings(node.CreateFunctionStmt.funcname).at(-1);
    if (name) functions.set(name, declaredVolatile(node.CreateFunctionStmt.options));
  } else if ('CreateDomainStmt' in node) {
    const { domainname, typeName, constraints } = node.CreateDomainStmt;
    const name = strings(domainname).at(-1);
    const checks = (constraints ?? []).some(
      (constraint) =>
        'Constraint' in constraint &&
        (constraint.Constraint.contype === 'CONSTR_CHECK' ||
          constraint.Constraint.contype === 'CONSTR_NOTNULL'),
    );
    const base = strings(typeName?.names);
    if (name)
      domains.set(
        name,
        checks || ((typeName?.arrayBounds ?? []).length === 0 && context.isConstrainedDomain(base)),
      );
  } else if ('AlterObjectSchemaStmt' in node && node.AlterObjectSchemaStmt.relation) {
    created.forgetName(node.AlterObjectSchemaStmt.relation);
  } else if ('TransactionStmt' in node) lintTransaction(node.TransactionStmt.kind, report, outside);
  else if ('DropStmt' in node) lintDrop(node.DropStmt, context);
  else if ('DropdbStmt' in node) lintDropDatabase(node.DropdbStmt.dbname, report);
  else if ('TruncateStmt' in node) lintTruncate(node.TruncateStmt.relations, created, report);
  else if ('DeleteStmt' in node) {
    lintDelete(node.DeleteStmt.relation, node.DeleteStmt.whereClause, created, report);
  } else if ('RenameStmt' in node) lintRename(node.RenameStmt, created, report);
  else if ('IndexStmt' in node) lintCreateIndex(node.IndexStmt, context);
  else if ('AlterTableStmt' in node && node.AlterTableStmt.objtype === 'OBJECT_TABLE') {
    const { relation, cmds } = node.AlterTableStmt;
    if (!relation) return;
    for (const cmd of cmds ?? []) {
      if ('AlterTableCmd' in cmd) lintAlterTable(cmd.AlterTableCmd, relation, context);
    }
  }
}

/**
 * CREATE TABLE IF NOT EXISTS may well find the table there already, with its rows: it surely creates
 * one only when the database does not have it, or the batch dropped it first.
 */
function surelyCreates(context: StatementContext, relation: RangeVar): boolean {
  return absentFromDatabase(context, relation) || context.created.wasDropped(relation);
}

/**
 * The session's TimeZone after `node`: SET TIME ZONE and RESET change it; set_config(), which
 * `callsSetConfig` says the statement may call, makes it unknown. So does SET LOCAL in a file run
 * outside a transaction: it changes nothing outside a BEGIN … COMMIT block, and lasts only to its end inside one.
 */
function timeZoneAfter(
  node: Node,
  before: string | undefined,
  facts: CatalogFacts | undefined,
  callsSetConfig: boolean,
  outside: boolean,
): string | undefined {
  if (!('VariableSetStmt' in node)) return callsSetConfig ? undefined : before;
  const set: VariableSetStmt = node.VariableSetStmt;
  if (set.kind === 'VAR_RESET_ALL') return facts?.timeZone;
  if (set.name !== 'timezone') return before;
  if (set.is_local && outside) return undefined;
  if (set.kind === 'VAR_SET_VALUE') {
    const [value] = set.args ?? [];
    return value && 'A_Const' in value ? value.A_Const.sval?.sval : undefined;
  }
  return set.kind === 'VAR_SET_DEFAULT' || set.kind === 'VAR_RESET' ? facts?.timeZone : undefined;
}
