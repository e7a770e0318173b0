import * as core from '@actions/core';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../shared/src/errors.ts';
import {
  getBoolean,
  getDuration,
  getEnum,
  getInput,
  getInteger,
  getKeyValueMap,
  getList,
  getOptionalString,
  getString,
  getStructured,
  invalidInput,
} from '../../../shared/src/runner/inputs.ts';
import { redact } from '../../../shared/src/runner/secrets.ts';
import { capture, type Captured } from '../helpers.ts';

/** Sets an input the way the runner does: INPUT_<NAME>, upper-cased, spaces to `_`, hyphens kept. */
function setInput(name: string, value: string): void {
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
}

function thrown(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError, nothing was thrown');
}

async function rejected(promise: Promise<unknown>): Promise<ConfigurationError> {
  const error = await promise.then(
    () => new Error('expected a ConfigurationError, the promise resolved'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  return error as ConfigurationError;
}

let stdout: Captured;

beforeEach(() => {
  stdout = capture();
});

afterEach(() => {
  stdout.restore();
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
});

describe('getInput, as @actions/core reads it', () => {
  const VALUES = ['plain', '', '  padded  ', '\n\tlines\n  ', 'a\nb', ' ', 'é 🚀', '\r\n'];

  it.each(['dry-run', 'Dry Run', 'image tag', 'ALREADY_UPPER', 'mixed-Case name'])(
    'reads %p from the same variable, trimmed and untrimmed',
    (name) => {
      for (const value of VALUES) {
        setInput(name, value);
        expect(getInput(name)).toBe(core.getInput(name));
        expect(getInput(name, { trimWhitespace: false })).toBe(
          core.getInput(name, { trimWhitespace: false }),
        );
      }
    },
  );

  it('reads the variable INPUT_<NAME>, spaces to _, upper-cased', () => {
    process.env.INPUT_MY_INPUT_NAME = ' v ';
    expect(getInput('my input name')).toBe('v');
    expect(getInput('My Input Name', { trimWhitespace: false })).toBe(' v ');
  });

  it('reads an input that is not set as empty', () => {
    expect(getInput('never-set')).toBe('');
    expect(core.getInput('never-set')).toBe('');
  });

  it.each(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', ' true ', '\tFALSE\n'])(
    'getBoolean reads %j as core.getBooleanInput does',
    (value) => {
      setInput('flag', value);
      expect(getBoolean('flag', false)).toBe(core.getBooleanInput('flag'));
      expect(getBoolean('flag', true)).toBe(core.getBooleanInput('flag'));
    },
  );

  it.each(['yes', 'on', '1', 'tRUE', 'true!'])(
    'getBoolean refuses %j as core.getBooleanInput does',
    (value) => {
      setInput('flag', value);
      expect(() => core.getBooleanInput('flag')).toThrow(TypeError);
      expect(thrown(() => getBoolean('flag', false)).input).toBe('flag');
    },
  );
});

describe('getString and getOptionalString', () => {
  it('reads INPUT_<NAME> with hyphens kept and spaces as underscores, trimmed', () => {
    setInput('github-token', '  abc  ');
    setInput('my input', 'spaced');
    expect(process.env['INPUT_GITHUB-TOKEN']).toBe('  abc  ');
    expect(getString('github-token')).toBe('abc');
    expect(getString('my input')).toBe('spaced');
  });

  it('returns the default (or an empty string) when the input is empty', () => {
    setInput('empty', '   ');
    expect(getString('empty', { default: 'fallback' })).toBe('fallback');
    expect(getString('empty')).toBe('');
    expect(getString('unset', { default: 'd' })).toBe('d');
  });

  it('prefers the given value over the default', () => {
    setInput('namespace', 'prod');
    expect(getString('namespace', { default: 'default' })).toBe('prod');
  });

  it('throws a ConfigurationError naming a required input that is missing', () => {
    const error = thrown(() => getString('image', { required: true }));
    expect(error.message).toBe('Input "image" is required but was not given.');
    expect(error.input).toBe('image');
    setInput('image', ' \n ');
    expect(thrown(() => getString('image', { required: true })).input).toBe('image');
  });

  it('getOptionalString gives undefined for an empty input and the value otherwise', () => {
    expect(getOptionalString('absent')).toBeUndefined();
    setInput('present', ' x ');
    expect(getOptionalString('present')).toBe('x');
    expect(thrown(() => getOptionalString('absent', { required: true })).input).toBe('absent');
  });
});

describe('getBoolean', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    [' true ', true],
  ])('%p is %p', (value, expected) => {
    setInput('dry-run', value);
    expect(getBoolean('dry-run', !expected)).toBe(expected);
  });

  it.each([[true], [false]])('an empty input gives the default %p', (defaultValue) => {
    expect(getBoolean('dry-run', defaultValue)).toBe(defaultValue);
  });

  it.each([['yes'], ['no'], ['1'], ['0'], ['on'], ['off'], ['tRUE'], ['y'], ['truee']])(
    '%p is rejected naming the input, the value and the six accepted words',
    (value) => {
      setInput('dry-run', value);
      const error = thrown(() => getBoolean('dry-run', false));
      expect(error.input).toBe('dry-run');
      expect(error.message).toContain('"dry-run"');
      expect(error.message).toContain(JSON.stringify(value));
      for (const word of ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'])
        expect(error.message).toContain(word);
    },
  );
});

describe('getInteger', () => {
  it.each([
    ['5', {}, 5],
    ['0', {}, 0],
    ['-3', {}, -3],
    ['007', {}, 7],
    ['1', { min: 1, max: 10 }, 1],
    ['10', { min: 1, max: 10 }, 10],
    [' 42 ', { min: 0 }, 42],
    ['9007199254740991', {}, Number.MAX_SAFE_INTEGER],
  ])('%p with %p is %p', (value, range, expected) => {
    setInput('replicas', value);
    expect(getInteger('replicas', { default: 99, ...range })).toBe(expected);
  });

  it('gives the default when empty', () => {
    expect(getInteger('replicas', { default: 3, min: 1 })).toBe(3);
  });

  it.each([
    ['abc', {}, 'expected a whole number'],
    ['1.5', {}, 'expected a whole number'],
    ['1e3', {}, 'expected a whole number'],
    ['+5', {}, 'expected a whole number'],
    ['5 pods', {}, 'expected a whole number'],
    ['0x10', {}, 'expected a whole number'],
    ['9007199254740993', {}, 'expected a whole number'],
    ['99999999999999999999999', { min: 0 }, 'expected a whole number of at least 0'],
    ['0', { min: 1, max: 10 }, 'expected a whole number from 1 to 10'],
    ['11', { min: 1, max: 10 }, 'expected a whole number from 1 to 10'],
    ['-1', { min: 0 }, 'expected a whole number of at least 0'],
    ['101', { max: 100 }, 'expected a whole number of at most 100'],
  ])('%p with %p is rejected: %s', (value, range, accepted) => {
    setInput('replicas', value);
    const error = thrown(() => getInteger('replicas', { default: 1, ...range }));
    expect(error.input).toBe('replicas');
    expect(error.message).toBe(
      `Input "replicas" has an invalid value ${JSON.stringify(value)}: ${accepted}.`,
    );
  });
});

describe('getDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['30', 30_000],
  ])('%p is %p ms', (value, expected) => {
    setInput('timeout', value);
    expect(getDuration('timeout', { default: 1 })).toBe(expected);
  });

  it('gives the default when empty', () => {
    expect(getDuration('timeout', { default: 600_000 })).toBe(600_000);
  });

  it('accepts the bounds themselves', () => {
    setInput('timeout', '1s');
    expect(getDuration('timeout', { default: 0, min: 1000, max: 60_000 })).toBe(1000);
    setInput('timeout', '1m');
    expect(getDuration('timeout', { default: 0, min: 1000, max: 60_000 })).toBe(60_000);
  });

  it.each([
    ['5x', {}, 'expected a duration like 90s, 5m, 1h30m or 250ms'],
    ['1h 30m', {}, 'expected a duration like 90s, 5m, 1h30m or 250ms'],
    ['-1s', { min: 0 }, 'expected a duration like 90s, 5m, 1h30m or 250ms of at least 0ms'],
    ['500ms', { min: 1000, max: 3_600_000 }, 'expected a duration from 1s to 1h'],
    ['2h', { min: 1000, max: 3_600_000 }, 'expected a duration from 1s to 1h'],
    ['10s', { min: 30_000 }, 'expected a duration of at least 30s'],
    ['1h', { max: 1_800_000 }, 'expected a duration of at most 30m'],
  ])('%p with %p is rejected: %s', (value, range, accepted) => {
    setInput('timeout', value);
    const error = thrown(() => getDuration('timeout', { default: 0, ...range }));
    expect(error.input).toBe('timeout');
    expect(error.message).toBe(`Input "timeout" has an invalid value ${JSON.stringify(value)}: ${accepted}.`);
  });
});

describe('getList', () => {
  it('parses newline and comma separated lists', () => {
    setInput('tags', 'a:1\nb:2, c:3');
    expect(getList('tags')).toEqual(['a:1', 'b:2', 'c:3']);
  });

  it('gives an empty list for an empty optional input', () => {
    expect(getList('tags')).toEqual([]);
  });

  it('rejects a required input that is missing', () => {
    expect(thrown(() => getList('tags', { required: true })).message).toBe(
      'Input "tags" is required but was not given.',
    );
  });

  it.each([[','], ['# only a comment'], ['\n , \n']])(
    'rejects a required input %p that lists nothing',
    (value) => {
      setInput('tags', value);
      const error = thrown(() => getList('tags', { required: true }));
      expect(error.input).toBe('tags');
      expect(error.message).toBe('Input "tags" is required but lists nothing.');
    },
  );
});

describe('getKeyValueMap', () => {
  it('parses key=value entries', () => {
    setInput('build-args', 'A=1\nB=x=y');
    expect(getKeyValueMap('build-args')).toEqual({ A: '1', B: 'x=y' });
  });

  it.each([
    ['NOEQUALS', 'NOEQUALS', 'expected key=value, one per line or comma'],
    ['A=1\nA=2', 'A=2', 'the key "A" is given twice; expected key=value, one per line or comma'],
    ['=1', '=1', 'the key is empty; expected key=value, one per line or comma'],
  ])('%p is rejected naming the entry and the rule', (value, entry, reason) => {
    setInput('build-args', value);
    const error = thrown(() => getKeyValueMap('build-args'));
    expect(error.input).toBe('build-args');
    expect(error.message).toBe(
      `Input "build-args" has an invalid value ${JSON.stringify(entry)}: ${reason}.`,
    );
  });
});

describe('getEnum', () => {
  const strategies = ['rolling', 'recreate', 'blue-green'] as const;

  it('returns an allowed value, or the default when empty', () => {
    setInput('strategy', 'recreate');
    expect(getEnum('strategy', strategies, 'rolling')).toBe('recreate');
    delete process.env.INPUT_STRATEGY;
    expect(getEnum('strategy', strategies, 'rolling')).toBe('rolling');
  });

  it.each([['Rolling'], ['canary'], ['rolling,recreate']])(
    'rejects %p listing the allowed values',
    (value) => {
      setInput('strategy', value);
      const error = thrown(() => getEnum('strategy', strategies, 'rolling'));
      expect(error.input).toBe('strategy');
      expect(error.message).toBe(
        `Input "strategy" has an invalid value ${JSON.stringify(value)}: expected one of rolling, recreate, blue-green.`,
      );
    },
  );
});

describe('getStructured', () => {
  it.each([
    ['a YAML mapping', 'replicas: 3\nports:\n  - 80\n  - 443', { replicas: 3, ports: [80, 443] }],
    ['a JSON object', '{"replicas": 3, "name": "web"}', { replicas: 3, name: 'web' }],
    ['a JSON array', '[1, "two", null]', [1, 'two', null]],
    ['a YAML list', '- a\n- b', ['a', 'b']],
    ['a scalar', 'just text', 'just text'],
  ])('parses %s', async (_label, value, expected) => {
    setInput('values', value);
    await expect(getStructured('values')).resolves.toEqual(expected);
  });

  it('gives undefined when empty', async () => {
    await expect(getStructured('values')).resolves.toBeUndefined();
  });

  it.each([
    ['unclosed JSON', '{"a": 1'],
    ['a bad indentation', 'a:\n  b: 1\n c: 2'],
    ['a duplicate key', 'a: 1\na: 2'],
    ['a duplicate JSON key', '{"a": 1, "a": 2}'],
    ['a tab indentation', 'a:\n\tb: 1'],
  ])('rejects %s with a one-line reason', async (_label, value) => {
    setInput('values', value);
    const error = await rejected(getStructured('values'));
    expect(error.input).toBe('values');
    expect(error.message).toMatch(/^Input "values" is not valid YAML or JSON: .+\.$/);
    expect(error.message).not.toContain('\n');
  });

  it('rejects a required block that is missing', async () => {
    const error = await rejected(getStructured('values', { required: true }));
    expect(error.message).toBe('Input "values" is required but was not given.');
  });

  it('names the duplicate key problem', async () => {
    setInput('values', 'a: 1\na: 2');
    expect((await rejected(getStructured('values'))).message).toMatch(/unique/i);
  });
});

describe('invalidInput', () => {
  it('shortens long values to 200 characters', () => {
    const error = invalidInput('x', 'v'.repeat(500), 'expected less');
    expect(error.message).toBe(`Input "x" has an invalid value "${'v'.repeat(200)}…": expected less.`);
  });

  it('shows a secret value as *** only', () => {
    const error = invalidInput('token', 'hunter2-secret', 'expected more', true);
    expect(error.message).toBe('Input "token" has an invalid value ***: expected more.');
  });

  it('escapes quotes and newlines in the shown value', () => {
    expect(invalidInput('x', 'a"b\nc', 'no').message).toBe('Input "x" has an invalid value "a\\"b\\nc": no.');
  });
});

describe('secret inputs', () => {
  it('announce the value with ::add-mask:: before returning it', () => {
    setInput('password', 'correct-horse-battery');
    expect(getString('password', { secret: true })).toBe('correct-horse-battery');
    expect(stdout.text()).toContain('::add-mask::correct-horse-battery\n');
    expect(redact('pw is correct-horse-battery')).toBe('pw is ***');
  });

  it('mask a multi-line value line by line', () => {
    setInput('kubeconfig', 'line-one-secret\nline-two-secret');
    getOptionalString('kubeconfig', { secret: true });
    expect(stdout.text()).toContain('::add-mask::line-one-secret\n');
    expect(stdout.text()).toContain('::add-mask::line-two-secret\n');
  });

  it('are not announced when not secret', () => {
    setInput('namespace', 'production');
    getString('namespace');
    expect(stdout.text()).not.toContain('add-mask');
  });

  it.each([
    ['a missing =', 'SECRET_TOKEN_VALUE_1'],
    ['an empty key', '=SECRET_TOKEN_VALUE_2'],
    ['a duplicate key', 'K=SECRET_TOKEN_VALUE_3\nK=SECRET_TOKEN_VALUE_4'],
  ])('never show their value in an error message (key=value map with %s)', (_label, value) => {
    setInput('secret-envs', value);
    const error = thrown(() => getKeyValueMap('secret-envs', { secret: true }));
    expect(error.message).toContain('"secret-envs"');
    expect(error.message).toContain('***');
    expect(error.message).not.toMatch(/SECRET_TOKEN_VALUE/);
    expect(stdout.text()).toContain('::add-mask::');
  });

  it('never show their value in a YAML error message', async () => {
    setInput('secret-values', 'password: "SECRET_YAML_VALUE\nother: [');
    const error = await rejected(getStructured('secret-values', { secret: true }));
    expect(error.message).not.toContain('SECRET_YAML_VALUE');
  });
});
