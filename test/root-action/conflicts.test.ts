import { describe, expect, it } from '@jest/globals';
import { findConflicts, valueKind } from '../../scripts/root-action/conflicts.ts';
import type { ActionSpec, InputSpec } from '../../scripts/root-action/metadata.ts';

function action(name: string, ...inputs: Partial<InputSpec>[]): ActionSpec {
  return {
    name,
    description: '',
    main: `dist/${name}/index.js`,
    outputs: [],
    inputs: inputs.map((input) => ({ name: 'x', description: '', required: false, ...input })),
  };
}

describe('findConflicts', () => {
  it.each([
    ['required in one action, optional in another', { required: true }, { required: false }],
    ['different descriptions', { description: 'build context' }, { description: 'kubeconfig context' }],
    ['two durations', { default: '10m' }, { default: '5m' }],
    ['a duration and a bare number of seconds', { default: '30s' }, { default: '0' }],
    ['a default in one action only', { default: 'true' }, {}],
    ['the same expression default', { default: '${{ github.token }}' }, { default: '${{ github.token }}' }],
  ])('accepts %s', (_label, a, b) => {
    expect(findConflicts([action('a', a), action('b', b)])).toEqual([]);
  });

  it.each([
    ['a boolean and a duration', { default: 'true' }, { default: '10m' }, 'value-kind'],
    ['an integer and text', { default: '3' }, { default: 'docker' }, 'value-kind'],
    [
      'two expression defaults',
      { default: '${{ github.token }}' },
      { default: '${{ secrets.PAT }}' },
      'expression-default',
    ],
    ['an expression default and none', { default: '${{ github.token }}' }, {}, 'expression-default'],
    [
      'an expression default and a literal one',
      { default: '${{ github.token }}' },
      { default: 'abc' },
      'expression-default',
    ],
  ])('refuses %s', (_label, a, b, rule) => {
    expect(findConflicts([action('a', a), action('b', b)])).toEqual([
      expect.objectContaining({ input: 'x', rule }),
    ]);
  });

  it('reserves the input `action` for the root action, unless a literal default says what it means left out', () => {
    expect(
      findConflicts([
        action('a', { name: 'action' }),
        action('b', { name: 'action', default: 'deploy' }),
        action('c', { name: 'action', default: '${{ github.event.inputs.step }}' }),
      ]),
    ).toEqual([
      {
        input: 'action',
        rule: 'reserved',
        detail:
          "declared by a, c without a literal default; the root action reserves it and passes an action's own `action` as a second word, whose absence means that default",
      },
    ]);
  });

  it('says which actions disagree and how', () => {
    const [conflict] = findConflicts([
      action('a', { default: 'false' }),
      action('b', {}),
      action('c', { default: '5m' }),
    ]);
    expect(conflict?.detail).toBe("a takes a boolean, c a duration (a: 'false', b: no default, c: '5m')");
  });
});

describe('valueKind', () => {
  it.each([
    ['true', 'boolean'],
    ['false', 'boolean'],
    ['30', 'integer'],
    ['90s', 'duration'],
    ['1.5h', 'duration'],
    ['250ms', 'duration'],
    ['latest=auto', 'text'],
    ['True', 'text'],
  ])('%s is %s', (value, kind) => {
    expect(valueKind(value)).toBe(kind);
  });
});
