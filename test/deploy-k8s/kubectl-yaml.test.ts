import { describe, expect, it } from '@jest/globals';
import { parseManifests } from '../../actions/deploy-k8s/src/manifests/manifest-parse.ts';
import { formatFloat32 } from '../../actions/deploy-k8s/src/manifests/kubectl-yaml/resolve-scalar.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';

/**
 * What kubectl sends for each YAML value, derived from go-yaml v2.4.0's resolve() and
 * decoder.scalar() (the fork under sigs.k8s.io/yaml/goyaml.v2), sigs.k8s.io/yaml's
 * convertToJSONableObject and Go's strconv rules (base-0 ParseInt with 0x/0o/0b prefixes since Go
 * 1.13). Read from the source code; not confirmed by running kubectl here (no kubectl on this
 * machine). Rows marked "unconfirmed" rest on a reading of go-yaml that no test of its own states.
 */
async function valueOf(yaml: string): Promise<unknown> {
  const [manifest] = await parseManifests([
    {
      name: 'k8s/values.yaml',
      text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v}\nvalue: ${yaml}\n`,
    },
  ]);
  return (manifest?.object as Record<string, unknown>).value;
}

async function objectOf(yaml: string): Promise<Record<string, unknown>> {
  const [manifest] = await parseManifests([
    { name: 'k8s/values.yaml', text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v}\n${yaml}` },
  ]);
  return manifest?.object as Record<string, unknown>;
}

describe('manifests are read as kubectl reads them (YAML 1.1, go-yaml v2)', () => {
  it.each<[string, string, unknown]>([
    ['octal with a leading zero (defaultMode: 0400)', '0400', 256],
    ['octal 0644', '0644', 420],
    ['Go 0o octal', '0o400', 256],
    ['negative octal', '-0400', -256],
    ['hexadecimal', '0x1F', 31],
    ['signed hexadecimal', '+0x1F', 31],
    ['binary', '0b101', 5],
    ['08 is no octal: a float', '08', 8],
    ['underscores are dropped', '1_000', 1000],
    ['a plus sign', '+12', 12],
    ['exponent float', '1e3', 1000],
    ['leading-dot float', '.5', 0.5],
    ['trailing-dot float', '1.', 1],
    ['sexagesimal stays a string (base 60 unsupported in go-yaml)', '1:30', '1:30'],
    ['sexagesimal float stays a string', '190:20:30.15', '190:20:30.15'],
    ['a float too large for float64 stays a string', '1e400', '1e400'],
    ['y is true', 'y', true],
    ['Y is true', 'Y', true],
    ['yes is true', 'yes', true],
    ['Yes is true', 'Yes', true],
    ['YES is true', 'YES', true],
    ['on is true', 'on', true],
    ['On is true', 'On', true],
    ['True is true', 'True', true],
    ['n is false', 'n', false],
    ['no is false', 'no', false],
    ['NO is false', 'NO', false],
    ['off is false', 'off', false],
    ['OFF is false', 'OFF', false],
    ['mixed-case yEs stays a string', 'yEs', 'yEs'],
    ['~ is null', '~', null],
    ['Null is null', 'Null', null],
    ['an empty value is null', '', null],
    ['a date stays a string', '2001-12-14', '2001-12-14'],
    ['a timestamp stays the text written', '2001-12-14T21:59:43.10-05:00', '2001-12-14T21:59:43.10-05:00'],
    ['a spaced timestamp stays the text written', '2001-12-14 21:59:43.10 -5', '2001-12-14 21:59:43.10 -5'],
    ['a quoted octal is a string', '"0400"', '0400'],
    ['a single-quoted yes is a string', "'yes'", 'yes'],
    ['!!str keeps the text', '!!str 0400', '0400'],
    ['!!int reads a quoted octal', '!!int "0400"', 256],
    ['!!float turns an int into a float', '!!float 1', 1],
    ['an unknown tag keeps the text', '!custom 0400', '0400'],
    ['the non-specific tag keeps the text', '! yes', 'yes'],
    ['!!binary is decoded to its bytes', '!!binary aGVsbG8=', 'hello'],
    ['a version number is a float', '1.10', 1.1],
    ['a word is a string', 'nginx', 'nginx'],
  ])('%s: %s -> %j', async (_label, yaml, expected) => {
    expect(await valueOf(yaml)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ['a boolean key becomes "true"', 'on: x', 'true'],
    ['an octal key becomes decimal', '0400: x', '256'],
    ['a float key is written as Go formats a float32', '1.5: x', '1.5'],
    ['a large float key takes an exponent', '1e6: x', '1e+06'],
    ['a quoted key stays as written', '"0400": x', '0400'],
  ])('%s', async (_label, yaml, key) => {
    const object = await objectOf(`data:\n  ${yaml}\n`);
    expect(Object.keys(object.data as object)).toEqual([key]);
  });

  it.each<[number, string]>([
    [1000, '1000'],
    [100000, '100000'],
    [1e6, '1e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123456789, '1.2345679e+08'],
    [-2.5, '-2.5'],
  ])('FormatFloat(%d, g, -1, 32) is %s', (value, text) => {
    expect(formatFloat32(value)).toBe(text);
  });

  it('merges << keys in document order: a merge overwrites keys before it, keys after it win', async () => {
    const object = await objectOf(
      [
        'base: &base {a: from-base, b: from-base}',
        'other: &other {b: from-other, c: from-other}',
        'before: {a: own, <<: *base}',
        'after: {<<: *base, a: own}',
        'list: {<<: [*base, *other]}',
      ].join('\n') + '\n',
    );
    expect(object.before).toEqual({ a: 'from-base', b: 'from-base' });
    expect(object.after).toEqual({ a: 'own', b: 'from-base' });
    expect(object.list).toEqual({ a: 'from-base', b: 'from-base', c: 'from-other' });
  });

  it.each<[string, string, RegExp]>([
    ['a duplicate key', 'data:\n  a: 1\n  b: 2\n  a: 3\n', /line 7: the key "a" is already set at line 5/],
    ['keys that become one JSON key', 'data:\n  1: x\n  "1": y\n', /the key "1" is already set at line 5/],
    ['.inf, which has no JSON form', 'value: .inf\n', /\.inf \(Infinity\) has no JSON form/],
    ['.nan', 'value: .NaN\n', /has no JSON form/],
    ['an integer past 2^53', 'value: 12345678901234567890\n', /larger than Gantry can send exactly/],
    ['a tag that does not fit', 'value: !!int abc\n', /cannot decode !!str `abc` as a !!int/],
    ['a merge of a list alias', 'l: &l [a]\nm: {<<: *l}\n', /map merge requires map or sequence of maps/],
    ['a collection as a key', 'data:\n  ? [a]\n  : x\n', /a mapping key must be a string or a number/],
  ])('refuses %s, naming the file and line', async (_label, yaml, message) => {
    const error = await objectOf(yaml).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^Manifest k8s\/values\.yaml, document 1: /);
    expect((error as Error).message).toMatch(message);
  });
});
