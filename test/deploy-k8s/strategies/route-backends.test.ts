import { describe, expect, it } from '@jest/globals';
import {
  colourRules,
  referencedServices,
} from '../../../actions/deploy-k8s/src/strategies/blue-green/route-backends.ts';

/** The blue-green refs of an HTTPRoute, computed from its own rules: pure, so every case is cheap to state. */
const RULES = [
  { matches: [{ path: { value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] },
  {
    matches: [{ path: { value: '/api' } }],
    backendRefs: [
      { name: 'web', port: 80, weight: 3 },
      { name: 'legacy', port: 80 },
    ],
  },
  {
    matches: [{ path: { value: '/files' } }],
    backendRefs: [{ kind: 'Bucket', group: 'example.com', name: 'web' }],
  },
];

describe('colourRules', () => {
  it('sends each ref to the serving colour at 100 beside the idle one at 0, other backends untouched', () => {
    const { rules, referenced } = colourRules(
      RULES,
      new Map([['web', { active: 'web-green', idle: 'web-blue' }]]),
    );
    expect(referenced).toEqual(new Set(['web']));
    expect(rules).toEqual([
      {
        matches: [{ path: { value: '/' } }],
        backendRefs: [
          { name: 'web-green', port: 80, weight: 100 },
          { name: 'web-blue', port: 80, weight: 0 },
        ],
      },
      {
        // The Service's own share of a shared rule is kept: 3 against legacy's default 1.
        matches: [{ path: { value: '/api' } }],
        backendRefs: [
          { name: 'web-green', port: 80, weight: 3 },
          { name: 'web-blue', port: 80, weight: 0 },
          { name: 'legacy', port: 80 },
        ],
      },
      RULES[2],
    ]);
  });

  it('gives a ref without a weight the default 1 when other backends share its rule', () => {
    const rules = [{ backendRefs: [{ name: 'web' }, { name: 'legacy' }] }];
    expect(colourRules(rules, new Map([['web', { active: 'web-blue', idle: undefined }]])).rules).toEqual([
      { backendRefs: [{ name: 'web-blue', weight: 1 }, { name: 'legacy' }] },
    ]);
  });

  it('leaves the own rules exactly as they were when the Service itself serves with nothing idle', () => {
    const { rules, referenced } = colourRules(RULES, new Map([['web', { active: 'web', idle: undefined }]]));
    expect(rules).toEqual(RULES);
    expect(referenced).toEqual(new Set(['web']));
  });

  it('reports no reference when the rules never name the Service', () => {
    expect(
      colourRules(RULES, new Map([['api', { active: 'api-blue', idle: undefined }]])).referenced,
    ).toEqual(new Set());
    expect(referencedServices(RULES)).toEqual(new Set(['web', 'legacy']));
  });
});
