import { describe, expect, it } from '@jest/globals';
import { selectorQuery } from '../../../shared/src/kubernetes/label-selector.ts';

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
