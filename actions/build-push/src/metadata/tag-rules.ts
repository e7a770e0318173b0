import { ConfigurationError } from '../../../../shared/src/errors.ts';
import { DATE_EXPRESSIONS, GLOBAL_EXPRESSIONS } from './expressions.ts';
import { splitRuleFields } from './rule-fields.ts';
import { compileTemplate, hasExpressions, TemplateError, type Helpers, type Template } from './template.ts';

/**
 * The `tags` input in docker/metadata-action's syntax (src/tag.ts): one rule a line, `type=...` plus
 * attributes, with its defaults and priorities. Stricter than metadata-action where it would silently
 * do something else: unknown or repeated attributes, unknown expressions, a semver pattern without a
 * placeholder, a non-numeric priority or an invalid regular expression are configuration errors here.
 */

export type RefEvent = 'branch' | 'tag' | 'pr';
export type ShaFormat = 'short' | 'long';

interface RuleCommon {
  /** The line as written, to name the rule in messages. */
  source: string;
  priority: number;
  /** Must render to `true` or `false`. */
  enable: Template;
  /** The rule's own `prefix=` (even empty), which replaces the flavor's; undefined when not given. */
  prefix: Template | undefined;
  suffix: Template | undefined;
}

export interface ScheduleRule extends RuleCommon {
  type: 'schedule';
  pattern: Template;
}
/** `type=semver` and `type=pep440`: a version read from the Git tag or value=, printed by pattern=. */
export interface VersionRule extends RuleCommon {
  type: 'semver' | 'pep440';
  pattern: Template;
  /** `pattern={{raw}}` alone: the one pattern a pre-release keeps (every other becomes `{{version}}`). */
  patternIsRaw: boolean;
  /** Empty: the pushed Git tag. */
  value: Template;
  /** match=: the version is the regular expression's group 1 in the Git tag or value. */
  match: RegExp | undefined;
}
export interface MatchRule extends RuleCommon {
  type: 'match';
  pattern: RegExp;
  group: number;
  value: Template;
}
export interface EdgeRule extends RuleCommon {
  type: 'edge';
  /** Empty: the repository's default branch. */
  branch: string;
}
export interface RefRule extends RuleCommon {
  type: 'ref';
  event: RefEvent;
}
export interface RawRule extends RuleCommon {
  type: 'raw';
  value: Template;
}
export interface ShaRule extends RuleCommon {
  type: 'sha';
  format: ShaFormat;
}
export type TagRule = ScheduleRule | VersionRule | MatchRule | EdgeRule | RefRule | RawRule | ShaRule;
type RuleType = TagRule['type'];

const DEFAULT_PRIORITY: Readonly<Record<RuleType, number>> = {
  schedule: 1000,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100,
};
const COMMON_ATTRIBUTES = ['enable', 'priority', 'prefix', 'suffix'];
const TYPE_ATTRIBUTES: Readonly<Record<RuleType, readonly string[]>> = {
  schedule: ['pattern'],
  semver: ['pattern', 'value', 'match'],
  pep440: ['pattern', 'value', 'match'],
  match: ['pattern', 'group', 'value'],
  edge: ['branch'],
  ref: ['event'],
  raw: ['value'],
  sha: ['format'],
};
const RULE_TYPES = Object.keys(DEFAULT_PRIORITY) as RuleType[];
const REF_EVENTS: readonly RefEvent[] = ['branch', 'tag', 'pr'];
const SHA_FORMATS: readonly ShaFormat[] = ['short', 'long'];
const SEMVER_PLACEHOLDERS: Helpers = {
  version: 'value',
  major: 'value',
  minor: 'value',
  patch: 'value',
  raw: 'value',
};
/** metadata-action's rules when the input is empty. */
const DEFAULT_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];

/** Parses the lines of readRuleLines, highest priority first (ties keep their input order). */
export function parseTagRules(lines: string[]): TagRule[] {
  const given = lines.map((line) => line.trim()).filter((line) => line !== '');
  const rules = (given.length > 0 ? given : DEFAULT_RULES).map(parseRule);
  return rules.sort((a, b) => b.priority - a.priority);
}

function fail(source: string, reason: string): never {
  throw new ConfigurationError(`Input "tags", rule "${source}": ${reason}.`, { input: 'tags' });
}

function parseRule(source: string): TagRule {
  const attributes = new Map<string, string>();
  const fields = splitRuleFields(source);
  if (!fields.ok) fail(source, fields.reason);
  for (const { key, value } of fields.value) {
    const name = key ?? 'value';
    if (name === '') fail(source, `"=${value}" has no attribute name before "="`);
    if (attributes.has(name)) fail(source, `the attribute "${name}" is given twice`);
    attributes.set(name, value);
  }
  const type = ruleType(source, attributes.get('type'));
  attributes.delete('type');
  const accepted = [...TYPE_ATTRIBUTES[type], ...COMMON_ATTRIBUTES];
  for (const name of attributes.keys()) {
    if (!accepted.includes(name)) {
      fail(source, `unknown attribute "${name}" for type=${type} (accepted: type, ${accepted.join(', ')})`);
    }
  }
  const attribute = (name: string): string | undefined => attributes.get(name);
  const template = (name: string, text: string, helpers: Helpers = GLOBAL_EXPRESSIONS): Template => {
    try {
      return compileTemplate(text, helpers);
    } catch (error) {
      if (error instanceof TemplateError) fail(source, `${name}: ${error.message}`);
      throw error;
    }
  };
  const prefixText = attribute('prefix') ?? defaultPrefix(type, attribute('event'));
  const suffixText = attribute('suffix');
  const common: RuleCommon = {
    source,
    priority: priority(source, attribute('priority'), type),
    enable: enable(source, template('enable', attribute('enable') ?? 'true')),
    prefix: prefixText === undefined ? undefined : template('prefix', prefixText),
    suffix: suffixText === undefined ? undefined : template('suffix', suffixText),
  };
  switch (type) {
    case 'schedule':
      return {
        ...common,
        type,
        pattern: template('pattern', attribute('pattern') ?? 'nightly', DATE_EXPRESSIONS),
      };
    case 'semver':
    case 'pep440': {
      const pattern = versionPattern(source, type, attribute('pattern'), template);
      const only = pattern.segments.length === 1 ? pattern.segments[0] : undefined;
      const patternIsRaw = only?.kind === 'value' && only.name === 'raw';
      return {
        ...common,
        type,
        pattern,
        patternIsRaw,
        value: template('value', attribute('value') ?? ''),
        match: versionMatch(source, attribute('match')),
      };
    }
    case 'match':
      return {
        ...common,
        type,
        pattern: matchPattern(source, attribute('pattern')),
        group: group(source, attribute('group')),
        value: template('value', attribute('value') ?? ''),
      };
    case 'edge':
      return { ...common, type, branch: attribute('branch') ?? '' };
    case 'ref':
      return { ...common, type, event: oneOf(source, 'event', attribute('event'), REF_EVENTS) };
    case 'raw': {
      const value = attribute('value');
      if (value === undefined)
        fail(source, 'type=raw needs a value, as in type=raw,value=latest (or just latest)');
      return { ...common, type, value: template('value', value) };
    }
    case 'sha':
      return {
        ...common,
        type,
        format: oneOf(source, 'format', attribute('format') ?? 'short', SHA_FORMATS),
      };
  }
}

function ruleType(source: string, type: string | undefined): RuleType {
  if (type === undefined) return 'raw';
  if (!(RULE_TYPES as string[]).includes(type)) {
    fail(source, `unknown type "${type}" (accepted: ${RULE_TYPES.join(', ')})`);
  }
  return type as RuleType;
}

/** metadata-action: `type=sha` tags start `sha-` and `type=ref,event=pr` tags `pr-` unless prefix= is given. */
function defaultPrefix(type: RuleType, event: string | undefined): string | undefined {
  if (type === 'sha') return 'sha-';
  if (type === 'ref' && event === 'pr') return 'pr-';
  return undefined;
}

function priority(source: string, text: string | undefined, type: RuleType): number {
  if (text === undefined) return DEFAULT_PRIORITY[type];
  if (!/^-?\d+$/.test(text))
    fail(source, `priority "${text}" is not a whole number (the default is ${DEFAULT_PRIORITY[type]})`);
  return Number(text);
}

function enable(source: string, template: Template): Template {
  if (!hasExpressions(template) && template.source !== 'true' && template.source !== 'false') {
    fail(
      source,
      `enable "${template.source}" must be true, false or an expression such as {{is_default_branch}}`,
    );
  }
  return template;
}

function versionPattern(
  source: string,
  type: VersionRule['type'],
  text: string | undefined,
  template: (name: string, text: string, helpers: Helpers) => Template,
): Template {
  const examples = '{{version}}, {{major}}.{{minor}}, {{major}}, {{minor}}, {{patch}} or {{raw}}';
  if (text === undefined) fail(source, `type=${type} needs a pattern, such as ${examples}`);
  const pattern = template('pattern', text, SEMVER_PLACEHOLDERS);
  if (!hasExpressions(pattern))
    fail(source, `pattern "${text}" has no {{...}} placeholder (use ${examples})`);
  return pattern;
}

/**
 * metadata-action takes group 1 of `String#match(match)`: the text is the body of a regular expression
 * without flags. Without a group 1 metadata-action fails on an undefined version, so it is refused here.
 */
function versionMatch(source: string, text: string | undefined): RegExp | undefined {
  if (text === undefined || text === '') return undefined;
  let pattern: RegExp;
  try {
    pattern = new RegExp(text);
  } catch (error) {
    return fail(source, `match "${text}" is not a valid regular expression: ${(error as Error).message}`);
  }
  if (new RegExp(`${text}|`).exec('')?.length === 1) {
    fail(
      source,
      `match "${text}" has no capture group: the version is its group 1, as in match=v(\\d+\\.\\d+\\.\\d+)$`,
    );
  }
  return pattern;
}

/** `/body/flags` is a regular expression with flags; anything else is the body of one without flags. */
function matchPattern(source: string, text: string | undefined): RegExp {
  if (text === undefined || text === '')
    fail(source, 'type=match needs a pattern, a regular expression such as \\d+\\.\\d+');
  const literal = /^\/(.+)\/(.*)$/.exec(text);
  try {
    return literal ? new RegExp(literal[1] as string, literal[2]) : new RegExp(text);
  } catch (error) {
    return fail(source, `pattern "${text}" is not a valid regular expression: ${(error as Error).message}`);
  }
}

function group(source: string, text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d+$/.test(text)) fail(source, `group "${text}" is not a capture group number such as 0 or 1`);
  return Number(text);
}

function oneOf<T extends string>(
  source: string,
  name: string,
  text: string | undefined,
  accepted: readonly T[],
): T {
  if (text === undefined) fail(source, `${name}= is required (accepted: ${accepted.join(', ')})`);
  if (!(accepted as readonly string[]).includes(text)) {
    fail(source, `${name} "${text}" is not one of ${accepted.join(', ')}`);
  }
  return text as T;
}
