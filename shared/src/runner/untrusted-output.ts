import { randomBytes } from 'node:crypto';

/**
 * A line of output from a program Gantry runs for the user (a build's RUN step, a migration's
 * container), ready for the step log. The runner executes a line that starts with `::` (or the old
 * `##[`) as a workflow command: a build could add annotations, masks, or a `::stop-commands::` that
 * silences Gantry's own commands. Such a line is printed between stop-commands markers whose token
 * nobody can guess; every other line is printed as it is.
 */
export function untrustedLine(line: string): string {
  const text = line.trimStart();
  if (!text.startsWith('::') && !text.startsWith('##[')) return `${line}\n`;
  const token = randomBytes(16).toString('hex');
  return `::stop-commands::${token}\n${line}\n::${token}::\n`;
}
