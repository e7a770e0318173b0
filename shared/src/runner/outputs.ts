import { setOutput } from './file-commands.ts';
import { redact } from './secrets.ts';

/**
 * Sets an action's outputs from one typed object, so each action declares its outputs as an
 * interface. Strings are set as they are, everything else as JSON (`true`, `3`, `[...]`).
 */
export type OutputValue = string | number | boolean | null | object;

export function setOutputs<T extends { [K in keyof T]: OutputValue }>(outputs: T): void {
  for (const [name, value] of Object.entries(outputs) as [string, OutputValue][]) {
    // Strings inside objects are redacted before JSON escaping could hide a secret's characters.
    const text =
      typeof value === 'string'
        ? value
        : JSON.stringify(value, (_key, inner: unknown) =>
            typeof inner === 'string' ? redact(inner) : inner,
          );
    setOutput(name, redact(text));
  }
}
