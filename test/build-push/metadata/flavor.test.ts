import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../shared/src/errors.ts';
import { parseFlavor, type Flavor } from '../../../actions/build-push/src/metadata/flavor.ts';

function plain(flavor: Flavor): Record<string, unknown> {
  return { ...flavor, prefix: flavor.prefix.source, suffix: flavor.suffix.source };
}

describe('parseFlavor', () => {
  // README flavor input, and metadata-action's flavor.test.ts defaults
  it.each([
    [[], { latest: 'auto', prefix: '', prefixOnLatest: false, suffix: '', suffixOnLatest: false }],
    [['latest=auto'], { latest: 'auto' }],
    [['latest=true'], { latest: true }],
    [['latest=false'], { latest: false }],
    [['prefix=foo-'], { prefix: 'foo-', prefixOnLatest: false }],
    [['prefix=foo-,onlatest=true'], { prefix: 'foo-', prefixOnLatest: true }],
    [['suffix=-dev,onlatest=true', 'prefix=glo-'], { suffix: '-dev', suffixOnLatest: true, prefix: 'glo-' }],
    [['prefix=a-,onlatest=true,suffix=-b,onlatest=false'], { prefixOnLatest: true, suffixOnLatest: false }],
    [['latest=false,prefix={{branch}}-'], { latest: false, prefix: '{{branch}}-' }],
    [['LATEST = true', ''], { latest: true }],
  ])('%j', (lines, expected) => {
    expect(plain(parseFlavor(lines))).toMatchObject(expected);
  });

  it.each([
    ['latest=yes', 'latest "yes" is not valid'],
    ['latest=True', 'latest "True" is not valid'],
    ['prefix=a,onlatest=maybe', 'onlatest "maybe" must be true or false'],
    ['onlatest=true', 'onlatest= must follow a prefix= or suffix= on the same line'],
    ['latest', '"latest" is not a key=value entry'],
    ['labelprefix=x', 'unknown entry "labelprefix"'],
    ['prefix={{nope}}-', 'prefix: "{{nope}}" is not a known expression'],
    // metadata-action's flavor.ts splits at every "=" and keeps the second part: "a" here
    ['prefix=a=b', '"prefix=a=b" holds a second "=", and metadata-action keeps only the text before it'],
    ['prefix="a-"', 'a quote inside the field "prefix="'],
  ])('%s is refused', (line, reason) => {
    let thrown: unknown;
    try {
      parseFlavor([line]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect(thrown).toMatchObject({ input: 'flavor' });
    expect((thrown as Error).message).toContain(`Input "flavor", entry "${line}": ${reason}`);
    expect((thrown as Error).message).toContain('(accepted: latest=auto|true|false');
  });
});
