import { describe, expect, it } from '@jest/globals';
import { parseFieldSelector, parseLabelSelector, selectorMatches } from './api/selectors.ts';
import { ApiError } from './api/status.ts';
import { describePath, fieldsOf, fromFieldsV1, pathKey, toFieldsV1 } from './apply/field-set.ts';
import { JsonPatchError, jsonPatch } from './apply/json-patch.ts';
import { mergePatch } from './apply/merge-patch.ts';
import { serverSideApply } from './apply/server-side-apply.ts';
import { strategicMergePatch } from './apply/strategic-merge-patch.ts';
import { imageId, normalizeImage } from './controllers/images.ts';
import { rollingUpdateSteps, type ReplicaSetCount } from './controllers/rolling-update.ts';
import { templateHash } from './controllers/templates.ts';
import type { JsonObject } from './store/json.ts';
import { safeEncode } from './store/names.ts';
import { ObjectStore } from './store/store.ts';

/** Table tests of the pure parts the API behaviour rests on. */

const DEPLOYMENT = { kind: 'Deployment', custom: false };

describe('field sets', () => {
  it('owns every leaf and keyed list item an applied configuration mentions, in FieldsV1', () => {
    const applied: JsonObject = {
      metadata: { labels: { app: 'web' } },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          spec: {
            containers: [{ name: 'app', image: 'web:1', ports: [{ containerPort: 80 }], args: ['a', 'b'] }],
          },
        },
      },
    };
    const fields = toFieldsV1(fieldsOf(applied, DEPLOYMENT));
    expect(fields).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:selector': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': {
                '.': {},
                'f:args': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
    expect(fromFieldsV1(fields)).toEqual(fieldsOf(applied, DEPLOYMENT));
  });

  it.each([
    [['f:spec', 'f:replicas'], '.spec.replicas'],
    [
      ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"app"}', 'f:image'],
      '.spec.template.spec.containers[name="app"].image',
    ],
    [['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}'], '.spec.ports[port=80,protocol="TCP"]'],
    [['f:metadata', 'f:finalizers', 'v:"a"'], '.metadata.finalizers[="a"]'],
  ])('renders %j as %s in conflict messages', (elements, rendered) => {
    expect(describePath(pathKey(elements))).toBe(rendered);
  });

  it('treats custom resources’ lists as atomic', () => {
    expect(
      toFieldsV1(fieldsOf({ spec: { items: [{ name: 'a' }] } }, { kind: 'Widget', custom: true })),
    ).toEqual({
      'f:spec': { 'f:items': {} },
    });
  });
});

describe('server-side apply merge', () => {
  const live: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'app', image: 'a:1' },
            { name: 'sidecar', image: 's:1' },
          ],
        },
      },
    },
  };

  it('merges keyed lists item by item and drops what this manager no longer applies', () => {
    const first = serverSideApply({
      live,
      applied: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          template: {
            spec: { containers: [{ name: 'app', image: 'a:2', env: [{ name: 'X', value: '1' }] }] },
          },
        },
      },
      manager: 'gantry',
      force: false,
      schema: DEPLOYMENT,
      statusSubresource: true,
      now: '2026-01-01T00:00:00Z',
    });
    expect((first.spec as JsonObject).template).toEqual({
      spec: {
        containers: [
          { name: 'app', image: 'a:2', env: [{ name: 'X', value: '1' }] },
          { name: 'sidecar', image: 's:1' },
        ],
      },
    });
    const second = serverSideApply({
      live: first,
      applied: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { template: { spec: { containers: [{ name: 'app', image: 'a:2' }] } } },
      },
      manager: 'gantry',
      force: false,
      schema: DEPLOYMENT,
      statusSubresource: true,
      now: '2026-01-01T00:00:01Z',
    });
    expect((second.spec as JsonObject).template).toEqual({
      spec: {
        containers: [
          { name: 'app', image: 'a:2' },
          { name: 'sidecar', image: 's:1' },
        ],
      },
    });
  });

  it('throws a 409 ApiError for a conflict', () => {
    const owned = serverSideApply({
      live,
      applied: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { replicas: 2 },
      },
      manager: 'hpa',
      force: false,
      schema: DEPLOYMENT,
      statusSubresource: true,
      now: '2026-01-01T00:00:00Z',
    });
    const attempt = () =>
      serverSideApply({
        live: owned,
        applied: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          spec: { replicas: 3 },
        },
        manager: 'gantry',
        force: false,
        schema: DEPLOYMENT,
        statusSubresource: true,
        now: '2026-01-01T00:00:01Z',
      });
    expect(attempt).toThrow(ApiError);
    expect(attempt).toThrow('Apply failed with 1 conflict: conflict with "hpa": .spec.replicas');
  });
});

describe('strategic merge patch', () => {
  const template: JsonObject = {
    spec: {
      template: {
        metadata: { labels: { app: 'web', extra: 'x' } },
        spec: {
          containers: [
            { name: 'app', image: 'a:1' },
            { name: 'sidecar', image: 's:1' },
          ],
        },
      },
    },
    metadata: { finalizers: ['a', 'b'] },
  };

  it.each<[string, JsonObject, JsonObject]>([
    [
      'replaces a map marked $patch: replace (a ControllerRevision rollback)',
      {
        spec: {
          template: {
            $patch: 'replace',
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'app', image: 'a:0' }] },
          },
        },
      },
      {
        spec: {
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'app', image: 'a:0' }] },
          },
        },
      },
    ],
    [
      'deletes a list item marked $patch: delete',
      { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } },
      { spec: { template: { spec: { containers: [{ name: 'app', image: 'a:1' }] } } } },
    ],
    [
      'orders merged items as $setElementOrder says',
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
              containers: [{ name: 'app', image: 'a:2' }],
            },
          },
        },
      },
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'sidecar', image: 's:1' },
                { name: 'app', image: 'a:2' },
              ],
            },
          },
        },
      },
    ],
    [
      'removes primitive list values and merges the rest',
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['c'] } },
      { metadata: { finalizers: ['b', 'c'] } },
    ],
  ])('%s', (_, patch, expected) => {
    expect(strategicMergePatch(template, patch, DEPLOYMENT)).toMatchObject(expected);
  });
});

describe('JSON patch and merge patch', () => {
  it.each<[string, JsonObject[], unknown]>([
    ['appends with -', [{ op: 'add', path: '/list/-', value: 3 }], { list: [1, 2, 3], 'a/b': { '~': 'x' } }],
    [
      'escapes ~1 and ~0',
      [{ op: 'replace', path: '/a~1b/~0', value: 'y' }],
      { list: [1, 2], 'a/b': { '~': 'y' } },
    ],
    [
      'moves',
      [{ op: 'move', from: '/list/0', path: '/first' }],
      { list: [2], first: 1, 'a/b': { '~': 'x' } },
    ],
    [
      'copies',
      [{ op: 'copy', from: '/list', path: '/copy' }],
      { list: [1, 2], copy: [1, 2], 'a/b': { '~': 'x' } },
    ],
  ])('%s', (_, patch, expected) => {
    expect(jsonPatch({ list: [1, 2], 'a/b': { '~': 'x' } }, patch)).toEqual(expected);
  });

  it('fails a test operation or a missing path with JsonPatchError', () => {
    expect(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(JsonPatchError);
    expect(() => jsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(JsonPatchError);
  });

  it('merges objects, deletes nulls and replaces lists', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1] }, { a: { b: null, d: 3 }, l: [2] })).toEqual({
      a: { c: 2, d: 3 },
      l: [2],
    });
  });
});

describe('selectors', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each([
    ['app=web', true],
    ['app==web,tier=front', true],
    ['app!=web', false],
    ['tier in (front, back)', true],
    ['tier notin (front)', false],
    ['app', true],
    ['!canary', true],
    ['!app', false],
    ['', true],
  ])('label selector %j matches: %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it('refuses a selector that does not parse with a 400', () => {
    expect(() => parseLabelSelector('app in (a')).toThrow(ApiError);
  });

  it('matches LabelSelector objects', () => {
    const selector: JsonObject = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    };
    expect(selectorMatches(selector, labels)).toBe(true);
    expect(selectorMatches(selector, { app: 'web', tier: 'back' })).toBe(false);
  });

  it('selects events by their involved object and refuses unsupported fields', () => {
    const event = {
      involvedObject: { kind: 'Pod', name: 'web-1' },
      type: 'Warning',
      metadata: { name: 'e' },
    };
    expect(
      parseFieldSelector('Event', 'involvedObject.kind=Pod,involvedObject.name=web-1,type!=Normal')(event),
    ).toBe(true);
    expect(() => parseFieldSelector('ConfigMap', 'involvedObject.name=x')).toThrow(
      'field label not supported: involvedObject.name',
    );
  });
});

describe('rolling update arithmetic', () => {
  const set = (name: string, replicas: number, available: number): ReplicaSetCount => ({
    name,
    replicas,
    available,
  });
  it.each<
    [
      string,
      number,
      { maxSurge: number; maxUnavailable: number },
      ReplicaSetCount,
      ReplicaSetCount[],
      unknown,
    ]
  >([
    [
      'surges the new set first',
      4,
      { maxSurge: 1, maxUnavailable: 0 },
      set('new', 0, 0),
      [set('old', 4, 4)],
      [{ name: 'new', replicas: 1 }],
    ],
    [
      'waits while the surge pod is unavailable',
      4,
      { maxSurge: 1, maxUnavailable: 0 },
      set('new', 1, 0),
      [set('old', 4, 4)],
      [],
    ],
    [
      'scales the old set down once it is available',
      4,
      { maxSurge: 1, maxUnavailable: 0 },
      set('new', 1, 1),
      [set('old', 4, 4)],
      [{ name: 'old', replicas: 3 }],
    ],
    [
      'removes unhealthy old replicas before available ones',
      4,
      { maxSurge: 0, maxUnavailable: 1 },
      set('new', 0, 0),
      [set('older', 2, 0), set('old', 2, 2)],
      [{ name: 'older', replicas: 1 }],
    ],
    [
      'uses maxUnavailable to start without surge',
      4,
      { maxSurge: 0, maxUnavailable: 1 },
      set('new', 0, 0),
      [set('old', 4, 4)],
      [{ name: 'old', replicas: 3 }],
    ],
    [
      'scales an oversized new set down',
      2,
      { maxSurge: 1, maxUnavailable: 0 },
      set('new', 3, 3),
      [],
      [{ name: 'new', replicas: 2 }],
    ],
    [
      'has nothing to do when done',
      2,
      { maxSurge: 1, maxUnavailable: 0 },
      set('new', 2, 2),
      [set('old', 0, 0)],
      [],
    ],
  ])('%s', (_, desired, posts, newSet, old, expected) => {
    expect(rollingUpdateSteps(desired, posts, newSet, old)).toEqual(expected);
  });
});

describe('names and hashes', () => {
  it('spells hashes with the rand.SafeEncodeString alphabet', () => {
    expect(safeEncode('0123456789')).toBe('456789bcdf');
  });

  it('hashes templates by content, whatever the order of their keys', () => {
    expect(templateHash({ a: 1, b: { c: 2, d: 3 } })).toBe(templateHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(templateHash({ a: 1 })).not.toBe(templateHash({ a: 1 }, 1));
  });

  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['team/app:2', 'docker.io/team/app:2'],
    ['registry.example.com:5000/team/app', 'registry.example.com:5000/team/app:latest'],
    ['localhost/app:1', 'localhost/app:1'],
    [`ghcr.io/o/app@sha256:${'a'.repeat(64)}`, `ghcr.io/o/app@sha256:${'a'.repeat(64)}`],
  ])('normalises %s to %s', (image, normalized) => {
    expect(normalizeImage(image)).toBe(normalized);
  });

  it('gives pulled images a digest imageID', () => {
    expect(imageId('registry.example.com:5000/app:1')).toMatch(
      /^registry\.example\.com:5000\/app@sha256:[0-9a-f]{64}$/,
    );
  });
});

describe('the object store', () => {
  it('keeps a bounded history: a revision older than the oldest kept change is gone', () => {
    const store = new ObjectStore(2);
    const key = { group: '', resource: 'configmaps' };
    const first = store.put(key, { metadata: { name: 'a', namespace: 'default' } });
    const start = Number((first.metadata as JsonObject).resourceVersion);
    store.put(key, { metadata: { name: 'b', namespace: 'default' } });
    store.put(key, { metadata: { name: 'c', namespace: 'default' } });
    expect(store.changesSince(start - 1)).toBeUndefined();
    expect(store.changesSince(start)?.map((change) => change.type)).toEqual(['ADDED', 'ADDED']);
    store.compact();
    expect(store.changesSince(start + 1)).toBeUndefined();
    expect(store.changesSince(store.revision)).toEqual([]);
  });
});
