import { invalidInput } from '../runner/inputs.ts';

/**
 * A container command (migrate's in-cluster modes, deploy-ecs), as an argument vector: a YAML/JSON flow list
 * (`["npm", "run", "migrate"]`), a block list (`- npm` lines), or plain words split on whitespace.
 * It never goes through a shell, so shell syntax in plain words is refused rather than passed on
 * as literal arguments the user did not mean.
 */

const SHELL_SYNTAX = /["'`$|&;<>(){}\\*?~]/;

export async function parseCommandWords(name: string, value: string): Promise<string[]> {
  const trimmed = value.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('- ') || trimmed === '-') {
    const { parse } = await import('yaml');
    let parsed: unknown;
    try {
      parsed = parse(trimmed);
    } catch {
      throw invalidInput(name, value, 'expected a YAML list of strings, like ["npm", "run", "migrate"]');
    }
    if (
      !Array.isArray(parsed) ||
      parsed.length === 0 ||
      !parsed.every((word) => typeof word === 'string' || typeof word === 'number')
    ) {
      throw invalidInput(
        name,
        value,
        'expected a non-empty YAML list of strings, like ["npm", "run", "migrate"]',
      );
    }
    const words = parsed.map(String);
    if (words[0] === '') throw invalidInput(name, value, 'expected a program name as the first word');
    return words;
  }
  const words = trimmed.split(/\s+/).filter(Boolean);
  const shell = words.find((word) => SHELL_SYNTAX.test(word));
  if (shell !== undefined) {
    throw invalidInput(
      name,
      value,
      `expected plain words (no shell runs them, so ${JSON.stringify(shell)} would be passed as it is); ` +
        'give a YAML list like ["sh", "-c", "..."] when you need a shell',
    );
  }
  return words;
}
