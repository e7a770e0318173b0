import { parseList } from '../../../../shared/src/list.ts';

export interface RuleField {
  /** Lower-cased; undefined for a bare value such as `latest` in `type=raw,latest`. */
  key: string | undefined;
  value: string;
}

/**
 * One line of the `tags` or `flavor` input split into fields as metadata-action's CSV reading does:
 * comma-separated, `"..."` keeps commas inside a field, the key is split off at the first `=` (values
 * may hold `=`), keys are case-insensitive, whitespace around keys and values is dropped. A comment
 * line (`# ...`) has no fields.
 */
export function splitRuleFields(line: string): RuleField[] {
  return parseList(line).map((field) => {
    const equals = field.indexOf('=');
    if (equals < 0) return { key: undefined, value: field };
    return {
      key: field.slice(0, equals).trim().toLowerCase(),
      value: unquote(field.slice(equals + 1).trim()),
    };
  });
}

/** `pattern="^v(\d+)$"` means the same as `"pattern=^v(\d+)$"`: the quotes are not part of the value. */
function unquote(value: string): string {
  const first = value[0];
  return value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)
    ? value.slice(1, -1)
    : value;
}
