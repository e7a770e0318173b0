import { describe, expect, it } from '@jest/globals';
import { diffLines, unifiedDiff } from '../../actions/deploy-k8s/src/apply/line-diff.ts';
import { maskSecretValues, objectDiff } from '../../actions/deploy-k8s/src/apply/object-diff.ts';
import type { KubeObject } from '../../shared/src/kubernetes/object.ts';

describe('diffLines (Myers)', () => {
  it.each<[string[], string[], string]>([
    [[], [], ''],
    [['a'], ['a'], ' a'],
    [['a', 'b', 'c'], ['a', 'x', 'c'], ' a|-b|+x| c'],
    [['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c'], '-a|-b| c|+b| a| b|-b| a|+c'],
    [[], ['new'], '+new'],
    [['old'], [], '-old'],
  ])('%j -> %j', (a, b, expected) => {
    expect(
      diffLines(a, b)
        .map((edit) => `${edit.op}${edit.line}`)
        .join('|'),
    ).toBe(expected);
  });

  it('produces a minimal edit script', () => {
    const a = Array.from({ length: 200 }, (_, index) => `line ${index}`);
    const b = [...a.slice(0, 50), 'inserted', ...a.slice(50, 150), ...a.slice(151)];
    const edits = diffLines(a, b).filter((edit) => edit.op !== ' ');
    expect(edits).toEqual([
      { op: '+', line: 'inserted' },
      { op: '-', line: 'line 150' },
    ]);
  });
});

describe('unifiedDiff', () => {
  it('writes hunks with three lines of context, like diff -u', () => {
    const before = Array.from({ length: 20 }, (_, index) => `l${index + 1}`).join('\n');
    const after = before.replace('l5', 'L5').replace('l18', 'L18');
    expect(unifiedDiff(before, after, ['live', 'after apply'])).toBe(
      [
        '--- live',
        '+++ after apply',
        '@@ -2,7 +2,7 @@',
        ' l2',
        ' l3',
        ' l4',
        '-l5',
        '+L5',
        ' l6',
        ' l7',
        ' l8',
        '@@ -15,6 +15,6 @@',
        ' l15',
        ' l16',
        ' l17',
        '-l18',
        '+L18',
        ' l19',
        ' l20',
      ].join('\n'),
    );
  });

  it('is empty for equal texts and shows a new object whole', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb', ['x', 'y'])).toBe('');
    expect(unifiedDiff('', 'a\nb\n', ['x', 'y'])).toBe('--- x\n+++ y\n@@ -0,0 +1,2 @@\n+a\n+b');
  });
});

describe('objectDiff', () => {
  const live: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', managedFields: [{ manager: 'gantry' }], generation: 1 },
    spec: { replicas: 2 },
  };

  it('hides managedFields and shows the change', async () => {
    const diff = await objectDiff(live, {
      ...live,
      metadata: { ...live.metadata, generation: 2 },
      spec: { replicas: 3 },
    });
    expect(diff).not.toContain('managedFields');
    expect(diff).toContain('-  generation: 1\n+  generation: 2');
    expect(diff).toContain('-  replicas: 2\n+  replicas: 3');
  });

  it('masks Secret values the way kubectl diff does', () => {
    const secret = (data: Record<string, string>, annotations: Record<string, string> = {}): KubeObject => ({
      kind: 'Secret',
      metadata: { name: 's', annotations },
      data,
    });
    const [before, after] = maskSecretValues(
      secret(
        { same: 'c2FtZQ==', changed: 'b2xk', removed: 'eA==' },
        { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"changed":"b2xk"}}' },
      ),
      secret({ same: 'c2FtZQ==', changed: 'bmV3', added: 'eQ==' }),
    );
    expect(before?.data).toEqual({ same: '***', changed: '*** (before)', removed: '***' });
    expect(after?.data).toEqual({ same: '***', changed: '*** (after)', added: '***' });
    expect(before?.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBe('***');
  });

  it('leaves other kinds alone', () => {
    const config: KubeObject = { kind: 'ConfigMap', data: { a: 'b' } };
    expect(maskSecretValues(config, config)).toEqual([config, config]);
  });
});
