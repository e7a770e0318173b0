import { describe, expect, it } from '@jest/globals';
import { parseManifests } from '../../actions/deploy-k8s/src/manifests/manifest-parse.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';

const file = (text: string, name = 'k8s/app.yaml'): { name: string; text: string } => ({ name, text });

describe('parseManifests', () => {
  it('reads multi-document YAML, skipping empty documents, and JSON', async () => {
    const manifests = await parseManifests([
      file(
        '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n---\n# comment only\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n',
      ),
      file('{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}', 'k8s/secret.json'),
    ]);
    expect(manifests.map((manifest) => [manifest.object.kind, manifest.source])).toEqual([
      ['Namespace', 'k8s/app.yaml, document 1'],
      ['ConfigMap', 'k8s/app.yaml, document 4'],
      ['Secret', 'k8s/secret.json, document 1'],
    ]);
  });

  it('expands a List', async () => {
    const manifests = await parseManifests([
      file(
        'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n',
      ),
    ]);
    expect(manifests.map((manifest) => manifest.source)).toEqual([
      'k8s/app.yaml, document 1, item 1',
      'k8s/app.yaml, document 1, item 2',
    ]);
  });

  it('turns aliases into independent copies and honours merge keys', async () => {
    const [first, second, third] = await parseManifests([
      file(
        [
          'apiVersion: v1',
          'kind: List',
          'items:',
          '- {apiVersion: v1, kind: ConfigMap, metadata: {name: a, labels: &labels {app: web}}}',
          '- {apiVersion: v1, kind: ConfigMap, metadata: {name: b, labels: {<<: *labels, tier: front}}}',
          '- {apiVersion: v1, kind: ConfigMap, metadata: {name: c, labels: *labels}}',
        ].join('\n'),
      ),
    ]);
    expect(second?.object.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    first!.object.metadata.labels!.app = 'changed';
    expect(third?.object.metadata.labels).toEqual({ app: 'web' });
  });

  it.each<[string, string, RegExp]>([
    ['broken YAML', 'apiVersion: v1\nkind: [Pod\n', /document 1: it is not valid YAML/],
    [
      'a duplicate key',
      'apiVersion: v1\nkind: Pod\nkind: Service\nmetadata: {name: a}\n',
      /k8s\/app\.yaml, document 1: line 3: the key "kind" is already set at line 2/,
    ],
    [
      'a scalar document',
      'just text\n',
      /expected a Kubernetes object \(a mapping\), found the string "just text"/,
    ],
    ['a list document', '- a\n- b\n', /found a list/],
    ['no kind', 'apiVersion: v1\nmetadata: {name: a}\n', /the object has no kind/],
    [
      'a kind that is not CamelCase',
      'apiVersion: v1\nkind: config-map\nmetadata: {name: a}\n',
      /kind "config-map" is not a kind name/,
    ],
    ['no apiVersion', 'kind: ConfigMap\nmetadata: {name: a}\n', /the ConfigMap has no apiVersion/],
    [
      'a malformed apiVersion',
      'apiVersion: apps/v1/extra\nkind: Deployment\nmetadata: {name: a}\n',
      /apiVersion "apps\/v1\/extra" is not group\/version/,
    ],
    ['no metadata', 'apiVersion: v1\nkind: ConfigMap\n', /the ConfigMap has no metadata/],
    [
      'no name',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\n',
      /the ConfigMap has no metadata.name/,
    ],
    [
      'generateName only',
      'apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: migrate-}\n',
      /generateName but no name: server-side apply needs a fixed name/,
    ],
    ['a name with a slash', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a/b}\n', /cannot contain \//],
    ['a numeric name', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 42}\n', /has no metadata.name/],
    [
      'a bad namespace',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: Shop_1}\n',
      /metadata.namespace "Shop_1" of ConfigMap "a" is not a namespace name/,
    ],
    [
      'an unquoted number label',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {version: 2}}\n',
      /metadata.labels.version of ConfigMap "a" is the number 2, not a string: quote it/,
    ],
    [
      'a boolean annotation',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, annotations: {enabled: true}}\n',
      /metadata.annotations.enabled .* is the boolean true/,
    ],
    [
      'a billion laughs',
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
      /YAML aliases expand too far/,
    ],
    ['nothing at all', '# only a comment\n', /with no Kubernetes object in them/],
  ])('refuses %s', async (_name, text, message) => {
    const error = await parseManifests([file(text)]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toMatch(message);
    expect((error as ConfigurationError).input).toBe('manifests');
  });

  it('refuses an object larger than the API server accepts', async () => {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: "${'x'.repeat(1.6 * 1024 * 1024)}"\n`;
    await expect(parseManifests([file(big)])).rejects.toThrow(/the API server accepts at most 1572864/);
  });
});
