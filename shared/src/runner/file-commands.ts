import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';
import { commandValue, issueCommand } from './workflow-commands.ts';

/**
 * Outputs and state through the runner's files (GITHUB_OUTPUT, GITHUB_STATE), written exactly as
 * @actions/core writes them (its file-command.ts): `name<<ghadelimiter_<uuid>`, the value, the
 * delimiter. Without the file (an old runner, a local run) the value goes out as the deprecated
 * `::set-output` / `::save-state` commands, again as @actions/core does.
 */

type FileCommand = 'OUTPUT' | 'STATE';

/**
 * The heredoc for one value; refused when the delimiter occurs in the name or value. The delimiter is
 * random each time; only tests pass one, to show the refusal.
 */
export function keyValueMessage(
  key: string,
  value: unknown,
  delimiter = `ghadelimiter_${randomUUID()}`,
): string {
  const converted = commandValue(value);
  // Only a value built to break out of the heredoc could contain a fresh random UUID.
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (converted.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${EOL}${converted}${EOL}${delimiter}`;
}

function appendToFile(file: string, message: string): void {
  // The runner creates the file before the step starts: a missing one is a misconfigured runner.
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  appendFileSync(file, `${message}${EOL}`, { encoding: 'utf8' });
}

function issueKeyValue(command: FileCommand, legacyCommand: string, name: string, value: string): void {
  const file = process.env[`GITHUB_${command}`] || '';
  if (file) {
    appendToFile(file, keyValueMessage(name, value));
    return;
  }
  // @actions/core starts a fresh line before ::set-output only, not before ::save-state.
  if (command === 'OUTPUT') process.stdout.write(EOL);
  issueCommand(legacyCommand, { name }, value);
}

export function setOutput(name: string, value: string): void {
  issueKeyValue('OUTPUT', 'set-output', name, value);
}

/** Saved for the post step, which reads it back with getState. */
export function saveState(name: string, value: string): void {
  issueKeyValue('STATE', 'save-state', name, value);
}

/** What the main step saved (the runner hands it over as STATE_<name>); '' when nothing was. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] || '';
}
