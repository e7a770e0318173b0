import { describe, expect, it } from '@jest/globals';
import { labelSelectorProblem, selectorQuery } from '../../../shared/src/kubernetes/label-selector.ts';

describe('selectorQuery', () => {
  it.each<[string, unknown, string | undefined]>([
    ['matchLabels', { matchLabels: { app: 'web', tier: 'front' } }, 'app=web,tier=front'],
    [
      'every expression operator',
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'staging'] },
          { key: 'canary', operator: 'NotIn', values: ['true'] },
          { key: 'team', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      'app=web,env in (prod,staging),canary notin (true),team,!legacy',
    ],
    ['an empty selector selects nothing to filter by', {}, undefined],
    ['no selector', undefined, undefined],
    [
      'unknown operators are left out',
      { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
      undefined,
    ],
  ])('%s', (_name, selector, expected) => {
    expect(selectorQuery(selector)).toBe(expected);
  });
});

describe('labelSelectorProblem (apimachinery selector grammar)', () => {
  it.each([
    'app=web',
    'app==web',
    'app!=web',
    'tier in (api, worker)',
    'tier notin (a)',
    'canary',
    '!canary',
    'example.com/team=pay,app=web',
    'app=',
  ])('accepts %s', (selector) => {
    expect(labelSelectorProblem(selector)).toBeUndefined();
  });
  it.each([
    ['an unbalanced parenthesis', 'tier in (api', 'unbalanced parentheses'],
    ['nothing', '  ', 'it selects nothing'],
    ['a stray comma', 'app=web,', 'an empty requirement'],
    ['a key with a space', 'my app=web', 'expected key'],
    ['a bad value', 'app=-web-', 'a label value must be'],
    ['a bad prefix', 'Example.COM/team=x', 'the key "Example.COM/team" is not valid'],
    ['no key', '=web', 'expected key'],
  ])('refuses %s', (_label, selector, says) => {
    expect(labelSelectorProblem(selector)).toContain(says);
  });
});
