import { describe, expect, it } from '@jest/globals';
import type { Manifest } from '../../actions/deploy-k8s/src/manifests/manifest.ts';
import { findPlaceholders, placeholderWarning } from '../../actions/deploy-k8s/src/manifests/placeholders.ts';

const manifest = (extra: Record<string, unknown>): Manifest => ({
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, ...extra },
  source: 'k8s/cfg.yaml, document 1',
});

describe('findPlaceholders', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['a ${VAR} in a value', { data: { tag: 'web:${IMAGE_TAG}' } }, ['${IMAGE_TAG}']],
    [
      'shell defaults are placeholders too',
      { data: { url: '${DB_URL:-postgres://db}' } },
      ['${DB_URL:-postgres://db}'],
    ],
    ['in a key', { data: { '${KEY}': 'x' } }, ['${KEY}']],
    ['deep in a list, each once', { data: { a: '${A} ${B}' }, list: [{ b: '${A}' }] }, ['${A}', '${B}']],
    ['$VAR without braces is left alone', { data: { script: 'echo $HOME' } }, []],
    ['a lone $ or ${} is no placeholder', { data: { price: '$5', empty: '${}' } }, []],
  ])('%s', (_label, extra, expected) => {
    const found = findPlaceholders([manifest(extra)]);
    expect(found.flatMap((finding) => finding.placeholders)).toEqual(expected);
  });

  it('words the warning with the object and the manifest', () => {
    const [finding] = findPlaceholders([manifest({ data: { tag: '${IMAGE_TAG}' } })]);
    expect(placeholderWarning(finding!)).toBe(
      'ConfigMap/shop/cfg (k8s/cfg.yaml, document 1) still holds ${IMAGE_TAG}: did an envsubst step not run?',
    );
  });
});
