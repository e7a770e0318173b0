import { ConfigurationError } from '../../../../shared/src/errors.ts';
import { GLOBAL_EXPRESSIONS } from './expressions.ts';
import { splitRuleFields } from './rule-fields.ts';
import { compileTemplate, TemplateError, type Template } from './template.ts';

/**
 * The `flavor` input in docker/metadata-action's syntax (src/flavor.ts): `latest=auto|true|false`, and a
 * global `prefix=` / `suffix=` for every tag, each followed on its line by `onlatest=true` to apply it to
 * `latest` too.
 */
export interface Flavor {
  /** auto: `latest` follows the highest-priority rule that yields a tag (see computeTags). */
  latest: 'auto' | boolean;
  /** Used by rules without their own prefix=; empty source when not given. */
  prefix: Template;
  prefixOnLatest: boolean;
  suffix: Template;
  suffixOnLatest: boolean;
}

const ACCEPTED =
  'latest=auto|true|false, prefix=<text>[,onlatest=true|false], suffix=<text>[,onlatest=true|false]';

function fail(line: string, reason: string): never {
  throw new ConfigurationError(`Input "flavor", entry "${line}": ${reason} (accepted: ${ACCEPTED}).`, {
    input: 'flavor',
  });
}

export function parseFlavor(lines: string[]): Flavor {
  const flavor: Flavor = {
    latest: 'auto',
    prefix: compileTemplate('', GLOBAL_EXPRESSIONS),
    prefixOnLatest: false,
    suffix: compileTemplate('', GLOBAL_EXPRESSIONS),
    suffixOnLatest: false,
  };
  for (const rawLine of lines) {
    const line = rawLine.trim();
    // `onlatest` applies to the prefix or suffix given before it on the same line.
    let lastAffix: 'prefix' | 'suffix' | undefined;
    const fields = splitRuleFields(line);
    if (!fields.ok) fail(line, fields.reason);
    for (const { key, value } of fields.value) {
      if (key !== undefined && value.includes('=')) {
        fail(line, `"${key}=${value}" holds a second "=", and metadata-action keeps only the text before it`);
      }
      switch (key) {
        case undefined:
          fail(line, `"${value}" is not a key=value entry`);
          break;
        case 'latest':
          if (value !== 'auto' && value !== 'true' && value !== 'false')
            fail(line, `latest "${value}" is not valid`);
          flavor.latest = value === 'auto' ? 'auto' : value === 'true';
          break;
        case 'prefix':
        case 'suffix':
          flavor[key] = affix(line, key, value);
          lastAffix = key;
          break;
        case 'onlatest':
          if (value !== 'true' && value !== 'false') fail(line, `onlatest "${value}" must be true or false`);
          if (lastAffix === undefined)
            fail(line, 'onlatest= must follow a prefix= or suffix= on the same line');
          flavor[lastAffix === 'prefix' ? 'prefixOnLatest' : 'suffixOnLatest'] = value === 'true';
          break;
        default:
          fail(line, `unknown entry "${key}"`);
      }
    }
  }
  return flavor;
}

function affix(line: string, key: string, value: string): Template {
  try {
    return compileTemplate(value, GLOBAL_EXPRESSIONS);
  } catch (error) {
    if (error instanceof TemplateError) fail(line, `${key}: ${error.message}`);
    throw error;
  }
}
