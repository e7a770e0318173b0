import { describe, expect, it } from '@jest/globals';
import { ConditionSyntaxError, parseCondition } from '../../shared/src/analysis/condition.ts';
import {
  substitute,
  UnknownPlaceholderError,
  urlWithStandIns,
} from '../../shared/src/analysis/placeholders.ts';

/** The condition language of prometheus checks, and ${name} placeholders. */

describe('parseCondition', () => {
  it.each([
    ['result < 0.01', 0.005, true],
    ['result < 0.01', 0.01, false],
    ['result <= 0.01', 0.01, true],
    ['result > 0.95', 0.96, true],
    ['result >= 1e-3', 0.001, true],
    ['result == 1', 1, true],
    ['result != 1', 1, false],
    ['0.5 > result', 0.2, true],
    ['result > -1', -0.5, true],
    ['result > .5', 0.6, true],
    ['result >= 0.95 and result <= 1', 0.97, true],
    ['result >= 0.95 && result <= 1', 1.2, false],
    ['result < 0 or result > 10', 11, true],
    ['result < 0 || result > 10', 5, false],
    ['not result > 1', 0.5, true],
    ['!(result > 1)', 2, false],
    ['result > 0 and (result < 1 or result == 5)', 5, true],
    ['result > 0 and result < 1 or result == 5', 5, true],
    ['result < 0.01', Number.NaN, false],
    ['result != 0.01', Number.NaN, true],
    ['result > 1000', Infinity, true],
  ])('%s with result %p is %p', (text, result, expected) => {
    expect(parseCondition(text).holds(result)).toBe(expected);
  });

  it('binds and tighter than or', () => {
    // false and false or true: (false and false) or true = true; false and (false or true) = false.
    expect(parseCondition('result > 5 and result > 6 or result == 1').holds(1)).toBe(true);
  });

  it.each([
    ['', 'the condition is empty'],
    ['result <', 'expected result or a number but found the end'],
    ['result', 'expected a comparison (<, <=, >, >=, ==, !=) but found the end'],
    ['result = 1', 'unexpected "= 1" at character 8'],
    ['result < 1 result', 'expected and, or or the end but found "result"'],
    ['(result < 1', 'expected ")" but found the end'],
    ['len(result) > 0', 'unknown name "len": the only name is result'],
    ['result[0] < 1', 'unknown name "result[0]"'],
    ['1 < 2', 'the condition never reads result'],
    ['result < 0.01; process.exit()', 'unexpected ";'],
  ])('refuses %p: %s', (text, message) => {
    expect(() => parseCondition(text)).toThrow(ConditionSyntaxError);
    expect(() => parseCondition(text)).toThrow(message);
  });
});

describe('placeholders', () => {
  it('fills every ${name}, leaving other dollar signs alone', () => {
    expect(
      substitute('http://${service}.${namespace}:8080/$x?a=${service}', {
        service: 'web-canary',
        namespace: 'shop',
      }),
    ).toBe('http://web-canary.shop:8080/$x?a=web-canary');
  });

  it('names every missing placeholder and the ones there are', () => {
    expect(() => substitute('${a}${b}${c}', { a: '1' })).toThrow(UnknownPlaceholderError);
    expect(() => substitute('${a}${b}${c}', { a: '1' })).toThrow(
      'no value for ${b}, ${c}; the placeholders here are ${a}',
    );
    expect(() => substitute('${a}', {})).toThrow('no value for ${a}; no placeholders are available here');
  });

  it('stands in for a whole-URL placeholder with a URL, and for parts with 0', () => {
    expect(urlWithStandIns('${canary-url}/health')).toBe('http://0/health');
    expect(urlWithStandIns('http://${host}:${port}/x')).toBe('http://0:0/x');
  });
});
