import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../shared/src/errors.ts';
import { readRuleLines } from '../../../actions/build-push/src/metadata/rule-fields.ts';
import { parseTagRules, type TagRule } from '../../../actions/build-push/src/metadata/tag-rules.ts';

/** The input as metadata-action reads it: its lines, then the rules. */
function rulesOf(text: string): TagRule[] {
  const lines = readRuleLines(text);
  if (!lines.ok) throw new Error(lines.reason);
  return parseTagRules(lines.value);
}

/** The rule with its templates reduced to their source text, for readable expectations. */
function plain(rule: TagRule): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(rule).map(([key, value]) => [
      key,
      value !== null && typeof value === 'object' && 'segments' in value ? value.source : value,
    ]),
  );
}

describe('parseTagRules', () => {
  it('gives metadata-action’s default rules for an empty input (README tags input)', () => {
    const rules = rulesOf('\n  \n# a comment\n').map(plain);
    expect(rules.map((rule) => rule['source'])).toEqual([
      'type=schedule',
      'type=ref,event=branch',
      'type=ref,event=tag',
      'type=ref,event=pr',
    ]);
    expect(rules[0]).toMatchObject({ type: 'schedule', pattern: 'nightly', priority: 1000 });
    expect(rules[3]).toMatchObject({
      type: 'ref',
      event: 'pr',
      prefix: 'pr-',
      suffix: undefined,
      priority: 600,
    });
  });

  // README: "Extended attributes and default values" of each type
  it.each([
    [
      'type=schedule',
      { type: 'schedule', pattern: 'nightly', priority: 1000, enable: 'true', prefix: undefined },
    ],
    ['type=semver,pattern={{version}}', { type: 'semver', pattern: '{{version}}', value: '', priority: 900 }],
    ['type=semver,pattern={{raw}}', { patternIsRaw: true }],
    ['type=semver,pattern=v{{raw}}', { patternIsRaw: false }],
    [
      'type=match,pattern=\\d.\\d.\\d',
      { type: 'match', pattern: /\d.\d.\d/, group: 0, value: '', priority: 800 },
    ],
    ['type=match,"pattern=/^V(\\d+)$/i",group=1', { pattern: /^V(\d+)$/i, group: 1 }],
    ['type=edge', { type: 'edge', branch: '', priority: 700 }],
    ['type=edge,branch=main', { branch: 'main' }],
    ['type=ref,event=branch', { type: 'ref', event: 'branch', prefix: undefined, priority: 600 }],
    ['type=ref,event=pr,prefix=', { event: 'pr', prefix: '' }],
    ['type=raw,value=foo', { type: 'raw', value: 'foo', priority: 200 }],
    ['type=raw,foo', { type: 'raw', value: 'foo' }],
    ['latest', { type: 'raw', value: 'latest' }],
    ['type=sha', { type: 'sha', format: 'short', prefix: 'sha-', priority: 100 }],
    ['type=sha,format=long,prefix=,suffix=-x', { format: 'long', prefix: '', suffix: '-x' }],
    ['TYPE=raw, VALUE = foo ,Priority=5', { type: 'raw', value: 'foo', priority: 5 }],
    ['type=raw,value=a=b', { value: 'a=b' }],
    ['"type=raw,""value=a,b"""', { value: 'a,b' }],
    ['type=raw,"value=a b"', { value: 'a b' }],
    [
      'type=pep440,pattern={{major}}.{{minor}}',
      { type: 'pep440', pattern: '{{major}}.{{minor}}', value: '', match: undefined, priority: 900 },
    ],
    ['type=pep440,pattern={{raw}}', { patternIsRaw: true }],
    ['type=semver,pattern={{version}},value=p1/v1.2.3,"match=v(\\d.\\d.\\d)$"', { match: /v(\d.\d.\d)$/ }],
    ['type=pep440,pattern={{version}},match=^py-(.*)$', { match: /^py-(.*)$/ }],
    [
      'type=raw,value=x,enable={{is_default_branch}},priority=-1',
      { enable: '{{is_default_branch}}', priority: -1 },
    ],
  ])('%s', (line, expected) => {
    const [rule] = rulesOf(line);
    const lines = readRuleLines(line);
    expect(plain(rule as TagRule)).toMatchObject({ source: lines.ok ? lines.value[0] : line, ...expected });
  });

  it('sorts by priority, highest first, keeping the input order of equal priorities (README priority)', () => {
    const rules = parseTagRules([
      'type=sha',
      'type=raw,b',
      'type=ref,event=branch',
      'type=raw,a',
      'type=semver,pattern={{version}}',
      'type=schedule',
      'type=edge',
      'type=match,pattern=x',
      'type=raw,first,priority=5000',
    ]);
    expect(rules.map((rule) => rule.source)).toEqual([
      'type=raw,first,priority=5000',
      'type=schedule',
      'type=semver,pattern={{version}}',
      'type=match,pattern=x',
      'type=edge',
      'type=ref,event=branch',
      'type=raw,b',
      'type=raw,a',
      'type=sha',
    ]);
  });
});

describe('malformed rules', () => {
  it.each([
    ['type=foo', 'unknown type "foo" (accepted: schedule, semver, pep440, match, edge, ref, raw, sha)'],
    ['type=,value=x', 'unknown type ""'],
    ['type=Semver,pattern={{version}}', 'unknown type "Semver"'],
    ['type=pep440', 'type=pep440 needs a pattern, such as {{version}}'],
    ['type=pep440,pattern={{version}},match=v(', 'match "v(" is not a valid regular expression'],
    [
      'type=semver,pattern={{version}},match=v\\d+',
      'match "v\\d+" has no capture group: the version is its group 1',
    ],
    ['type=pep440,pattern={{version}},group=1', 'unknown attribute "group" for type=pep440'],
    // csv-parse refuses a quote inside a field (metadata-action fails on these lines too)
    ['type=raw,value="a,b"', 'a quote inside the field "value="'],
    [
      'type=match,pattern="^v(\\d+)$"',
      'to keep a comma in a value, write the whole line as one quoted field',
    ],
    ['"type=raw,value=x"y', 'the quoted field "type=raw,value=x" is followed by "y"'],
    ['type=ref', 'event= is required (accepted: branch, tag, pr)'],
    ['type=ref,event=push', 'event "push" is not one of branch, tag, pr'],
    ['type=sha,format=medium', 'format "medium" is not one of short, long'],
    ['type=semver', 'type=semver needs a pattern, such as {{version}}'],
    ['type=semver,pattern=latest', 'pattern "latest" has no {{...}} placeholder'],
    ['type=semver,pattern={{version}}.{{build}}', 'pattern: "{{build}}" is not a known expression here'],
    ['type=semver,pattern={{branch}}', 'accepted: {{version}}, {{major}}, {{minor}}, {{patch}}, {{raw}}'],
    ['type=raw', 'type=raw needs a value, as in type=raw,value=latest'],
    ['type=raw,value=x,enable=yes', 'enable "yes" must be true, false or an expression'],
    ['type=raw,value=x,enable=True', 'enable "True" must be true, false'],
    ['type=raw,value=x,enable=', 'enable "" must be true, false'],
    ['type=raw,value=x,priority=high', 'priority "high" is not a whole number (the default is 200)'],
    ['type=raw,value=x,priority=1.5', 'priority "1.5" is not a whole number'],
    ['type=match', 'type=match needs a pattern'],
    ['type=match,pattern=v(unclosed', 'pattern "v(unclosed" is not a valid regular expression'],
    ['type=match,pattern=/v(\\d+)/q', 'pattern "/v(\\d+)/q" is not a valid regular expression'],
    ['type=match,pattern=v(.*),group=one', 'group "one" is not a capture group number'],
    [
      'type=ref,event=branch,branch=main',
      'unknown attribute "branch" for type=ref (accepted: type, event, enable',
    ],
    ['type=sha,pattern=x', 'unknown attribute "pattern" for type=sha'],
    ['type=edge,event=branch', 'unknown attribute "event" for type=edge'],
    ['type=raw,a,value=b', 'the attribute "value" is given twice'],
    ['type=raw,value=x,=y', '"=y" has no attribute name before "="'],
    [
      'type=raw,value={{unknown}}',
      'value: "{{unknown}}" is not a known expression here (accepted: {{branch}}',
    ],
    ['type=raw,value={{branch', 'value: "{{" at position 0 is not closed by "}}"'],
    ["type=raw,value={{branch 'x'}}", 'value: "{{branch \'x\'}}": {{branch}} takes no arguments'],
    ['type=raw,value={{date}}', 'value: "{{date}}" needs exactly one quoted format'],
    ['type=raw,value={{commit_date YYYY-MM-DD}}', 'the argument "YYYY-MM-DD" must be quoted'],
    ["type=raw,value={{date 'YYYY' zone='UTC'}}", 'unknown attribute "zone"; only tz= is accepted'],
    ["type=raw,value={{date 'YYYY' tz='Mars/Olympus'}}", '"Mars/Olympus" is not an IANA time zone'],
    ["type=raw,value={{date 'YYYY-ww'}}", 'uses the moment token "w", which is not supported'],
    [
      'type=schedule,pattern=nightly-{{branch}}',
      'pattern: "{{branch}}" is not a known expression here (accepted: {{date}}',
    ],
    ['type=sha,prefix={{sha}', 'prefix: "{{" at position 0 is not closed'],
    ['type=raw,value=x,suffix={{tag}}-{{nope}}', 'suffix: "{{nope}}" is not a known expression'],
  ])('%s', (line, reason) => {
    let thrown: unknown;
    try {
      parseTagRules(['type=raw,value=fine', line]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect(thrown).toMatchObject({ input: 'tags' });
    expect((thrown as Error).message).toContain(`Input "tags", rule "${line}": `);
    expect((thrown as Error).message).toContain(reason);
  });
});
