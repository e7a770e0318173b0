import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

/**
 * The few workflow commands the dispatcher writes, without @actions/core: the dispatcher stays a
 * few kilobytes, so going through the root action costs next to nothing at cold start, and the
 * chosen action loads its own copy of the toolkit anyway.
 */
export function issueCommand(command: 'error' | 'warning', message: string): void {
  process.stdout.write(`::${command}::${escapeData(message)}${EOL}`);
}

/** Saves state for the post step (STATE_<name> there), as core.saveState does. */
export function saveState(name: string, value: string): void {
  const file = process.env.GITHUB_STATE;
  if (file) appendFileSync(file, `${name}=${value}${EOL}`);
}

function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}
