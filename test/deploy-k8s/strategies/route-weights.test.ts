import { describe, expect, it } from '@jest/globals';
import { weightedRules } from '../../../actions/deploy-k8s/src/strategies/traffic/route-weights.ts';

describe('weightedRules', () => {
  const canaries = new Map([['web', 'web-canary']]);

  it('splits every backendRef to a stable Service into the stable and its canary, in each rule', () => {
    const rules = [
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] },
      {
        backendRefs: [
          { name: 'web', port: 80, weight: 1 },
          { name: 'other', port: 80 },
        ],
      },
    ];
    const { rules: weighted, split } = weightedRules(rules, canaries, 10);
    expect(split).toBe(2);
    expect(weighted).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [
          { name: 'web', port: 80, weight: 90 },
          { name: 'web-canary', port: 80, weight: 10 },
        ],
      },
      {
        backendRefs: [
          { name: 'web', port: 80, weight: 90 },
          { name: 'web-canary', port: 80, weight: 10 },
          { name: 'other', port: 80 },
        ],
      },
    ]);
    // Pure: the rules given are what promote and abort restore.
    expect(rules[0]?.backendRefs).toEqual([{ name: 'web', port: 80 }]);
  });

  it.each([
    ['a backendRef to another kind', { name: 'web', kind: 'ServiceImport', group: 'multicluster.x-k8s.io' }],
    ['a backendRef to another Service', { name: 'api' }],
  ])('leaves %s alone', (_label, ref) => {
    expect(weightedRules([{ backendRefs: [ref] }], canaries, 50)).toEqual({
      rules: [{ backendRefs: [ref] }],
      split: 0,
    });
  });

  it('sends everything to the canary at 100', () => {
    const { rules } = weightedRules([{ backendRefs: [{ name: 'web', port: 80 }] }], canaries, 100);
    expect(rules).toEqual([
      {
        backendRefs: [
          { name: 'web', port: 80, weight: 0 },
          { name: 'web-canary', port: 80, weight: 100 },
        ],
      },
    ]);
  });
});
