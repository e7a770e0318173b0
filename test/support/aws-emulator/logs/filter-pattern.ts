import { invalidParameter } from '../core/input.ts';

/**
 * CloudWatch Logs filter patterns for unstructured events: terms that must all appear (`ERROR
 * migration`), quoted phrases (`"Failed to connect"`), terms of which one must appear (`?ERROR
 * ?WARN`) and terms that must not (`ERROR -retrying`), all case-sensitive. JSON (`{ ... }`),
 * space-delimited (`[ ... ]`) and regular-expression (`%...%`) patterns are refused rather than
 * answered wrongly: tests that need them need them emulated first.
 */
export function compileFilterPattern(pattern: string | undefined): (message: string) => boolean {
  const text = pattern?.trim() ?? '';
  if (text === '') return () => true;
  if (/^[{[%]/.test(text)) {
    throw invalidParameter(
      `Invalid filter pattern: the emulator matches terms and phrases only, not '${text}'`,
    );
  }
  const required: string[] = [];
  const optional: string[] = [];
  const excluded: string[] = [];
  for (const [, sign, quoted, bare] of text.matchAll(/([?-]?)(?:"([^"]*)"|(\S+))/g)) {
    const term = quoted ?? bare!;
    (sign === '?' ? optional : sign === '-' ? excluded : required).push(term);
  }
  return (message) =>
    required.every((term) => message.includes(term)) &&
    !excluded.some((term) => message.includes(term)) &&
    (optional.length === 0 || optional.some((term) => message.includes(term)));
}
