/**
 * The runner's reading of the file commands a step wrote (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV,
 * GITHUB_PATH, GITHUB_STEP_SUMMARY), after actions/runner's FileCommandManager on Linux: lines end
 * at LF only, so a CR stays part of a value, and a malformed file fails the step.
 */
import { readFile } from 'node:fs/promises';
import type { FileCommand } from './environment.ts';
import type { WorkflowCommands } from './workflow-commands.ts';

/** What a step passes on to later steps through its commands. */
export interface StepEffects {
  outputs: Record<string, string>;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  addedPath: string[];
}

/** Beyond this the runner drops the whole summary. */
const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Reads the files in the runner's order; a malformed one fails the step, as in the runner. */
export async function processFileCommands(
  files: Record<FileCommand, string>,
  commands: WorkflowCommands,
): Promise<{ effects: StepEffects; summary: string }> {
  const effects: StepEffects = {
    outputs: { ...commands.outputs },
    state: { ...commands.state },
    exportedEnv: {},
    addedPath: [],
  };
  const read = (variable: FileCommand): Promise<string> => readFile(files[variable], 'utf8');
  const attempt = async (contextName: string, apply: () => Promise<void>): Promise<void> => {
    try {
      await apply();
    } catch (error) {
      commands.fail(`Unable to process file command '${contextName}' successfully.`);
      commands.fail((error as Error).message);
    }
  };
  await attempt('path', async () => {
    effects.addedPath = parsePathFile(await read('GITHUB_PATH'));
  });
  await attempt('env', async () => {
    effects.exportedEnv = parseKeyValueFile(await read('GITHUB_ENV'));
  });
  const summary = await read('GITHUB_STEP_SUMMARY');
  const summaryBytes = Buffer.byteLength(summary);
  if (summaryBytes > SUMMARY_LIMIT_BYTES) {
    commands.annotate(
      'error',
      `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of ${SUMMARY_LIMIT_BYTES / 1024}k, ` +
        `got ${Math.floor(summaryBytes / 1024)}k. For more information see: ` +
        'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary',
    );
  }
  await attempt('state', async () => {
    Object.assign(effects.state, parseKeyValueFile(await read('GITHUB_STATE')));
  });
  await attempt('output', async () => {
    Object.assign(effects.outputs, parseKeyValueFile(await read('GITHUB_OUTPUT')));
  });
  return { effects, summary };
}

/** `name=value` lines and `name<<DELIMITER` heredocs; a later value for a name wins; malformed throws. */
export function parseKeyValueFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  // A final LF ends the last line; it does not start an empty one.
  if (lines.at(-1) === '') lines.pop();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (name === '') throw new Error(`Invalid format '${line}'. Name must not be empty`);
      values[name] = line.slice(equals + 1);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === '' || delimiter === '') {
        throw new Error(`Invalid format '${line}'. Name must not be empty and delimiter must not be empty`);
      }
      const end = lines.indexOf(delimiter, index + 1);
      if (end < 0) throw new Error(`Invalid value. Matching delimiter not found '${delimiter}'`);
      values[name] = lines.slice(index + 1, end).join('\n');
      index = end;
    } else {
      throw new Error(`Invalid format '${line}'`);
    }
  }
  return values;
}

/** GITHUB_PATH: one directory a line, in the order added; a directory added again moves to the end. */
export function parsePathFile(text: string): string[] {
  const added: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') continue;
    const seen = added.indexOf(line);
    if (seen >= 0) added.splice(seen, 1);
    added.push(line);
  }
  return added;
}
