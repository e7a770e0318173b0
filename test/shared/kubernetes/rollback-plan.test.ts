import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../../shared/src/kubernetes/object.ts';
import {
  chooseByImages,
  chooseControllerRevision,
  chooseReplicaSet,
  controllerRevisionMatches,
  deploymentRollbackPatch,
  semanticEqual,
  templateImages,
  templatesEqualIgnoringHash,
} from '../../../shared/src/kubernetes/rollback/rollback-plan.ts';

const template = (image: string, hash?: string): Record<string, unknown> => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'app', image }] },
});

const replicaSet = (
  name: string,
  revision: string | undefined,
  image: string,
  annotations: Record<string, string> = {},
): KubeObject => ({
  metadata: {
    name,
    annotations: { ...(revision ? { 'deployment.kubernetes.io/revision': revision } : {}), ...annotations },
  },
  spec: { template: template(image, name.split('-')[1]) },
});

describe('chooseReplicaSet (kubectl deploymentRevision)', () => {
  const sets = [
    replicaSet('web-a', '1', 'app:1'),
    replicaSet('web-c', '3', 'app:3'),
    replicaSet('web-b', '2', 'app:2'),
    replicaSet('web-x', undefined, 'app:?'),
  ];

  it.each<[string, number, string | undefined, string | undefined]>([
    ['0 is the revision before the newest', 0, 'web-b', undefined],
    ['an exact revision', 1, 'web-a', undefined],
    ['the current revision itself', 3, 'web-c', undefined],
    ['a revision that is gone', 7, undefined, 'revision 7 not found (available: 1, 2, 3)'],
    ['a negative revision', -1, undefined, 'revision -1 not found (available: 1, 2, 3)'],
  ])('%s', (_name, toRevision, name, reason) => {
    const choice = chooseReplicaSet(sets, toRevision);
    if (name)
      expect(choice).toEqual({
        ok: true,
        value: expect.objectContaining({ metadata: expect.objectContaining({ name }) }),
      });
    else expect(choice).toEqual({ ok: false, reason });
  });

  it('no history: one revision only', () => {
    expect(chooseReplicaSet([replicaSet('web-a', '1', 'app:1')], 0)).toEqual({
      ok: false,
      reason: 'no previous revision: revision 1 is the only one in the history',
    });
  });
});

describe('templatesEqualIgnoringHash', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['the hash label alone differs', template('app:1', 'abc'), template('app:1'), true],
    ['the image differs', template('app:1', 'abc'), template('app:2'), false],
    [
      'empty and missing fields are the same',
      { ...template('app:1'), spec: { containers: [{ name: 'app', image: 'app:1', env: [] }] } },
      template('app:1'),
      true,
    ],
    [
      'an extra label is a difference',
      { metadata: { labels: { app: 'web', tier: 'a' } }, spec: template('x').spec },
      template('x'),
      false,
    ],
  ])('%s', (_name, a, b, equal) => {
    expect(templatesEqualIgnoringHash(a, b)).toBe(equal);
  });
});

describe('chooseByImages (a recorded release found again)', () => {
  const sets = [
    replicaSet('web-a', '1', 'app:1'),
    replicaSet('web-c', '4', 'app:2'),
    replicaSet('web-b', '2', 'app:2'),
    replicaSet('web-d', '5', 'app:3'),
  ];
  it('picks the newest revision running exactly those images', () => {
    const choice = chooseByImages(sets, { app: 'app:2' });
    expect(choice.ok && choice.value.metadata?.name).toBe('web-c');
  });
  it('names the images and the revisions when none runs them', () => {
    expect(chooseByImages(sets, { app: 'app:9' })).toEqual({
      ok: false,
      reason: 'no revision in its history runs the recorded images (app=app:9); available: 1, 2, 4, 5',
    });
  });
  it("reads init containers too, and a ControllerRevision's template", () => {
    expect(
      templateImages({
        spec: { initContainers: [{ name: 'm', image: 'm:1' }], containers: [{ name: 'a', image: 'a:1' }] },
      }),
    ).toEqual({ m: 'm:1', a: 'a:1' });
    expect(chooseByImages([controllerRevision(3, 'db:3')], { app: 'db:3' }).ok).toBe(true);
  });
});

describe('deploymentRollbackPatch (kubectl getDeploymentPatch)', () => {
  it("restores the template without the hash and the ReplicaSet's annotations, keeping the Deployment's own", () => {
    const deployment: KubeObject = {
      metadata: {
        annotations: {
          'deployment.kubernetes.io/revision': '3',
          'kubernetes.io/change-cause': 'deploy 3',
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
          'team.example.com/owner': 'payments',
        },
      },
      spec: { template: template('app:3') },
    };
    const target = replicaSet('web-b', '2', 'app:2', {
      'kubernetes.io/change-cause': 'deploy 2',
      'deployment.kubernetes.io/desired-replicas': '3',
    });
    expect(deploymentRollbackPatch(deployment, target)).toEqual([
      { op: 'replace', path: '/spec/template', value: template('app:2') },
      {
        op: 'add',
        path: '/metadata/annotations',
        value: {
          'deployment.kubernetes.io/revision': '3',
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
          'team.example.com/owner': 'payments',
          'kubernetes.io/change-cause': 'deploy 2',
        },
      },
    ]);
  });
});

function controllerRevision(revision: number, image: string): KubeObject {
  return {
    metadata: { name: `db-${revision}` },
    revision,
    data: { spec: { template: { ...template(image), $patch: 'replace' } } },
  };
}

describe('chooseControllerRevision (kubectl findHistory)', () => {
  const history = [
    controllerRevision(4, 'db:4'),
    controllerRevision(2, 'db:2'),
    controllerRevision(3, 'db:3'),
  ];
  it.each<[string, readonly KubeObject[], number, number | string]>([
    ['0 is the second-highest revision', history, 0, 3],
    ['an exact revision', history, 2, 2],
    ['a missing revision', history, 9, 'revision 9 not found (available: 2, 3, 4)'],
    [
      'one revision only has no last revision',
      [controllerRevision(1, 'db:1')],
      0,
      'no previous revision: revision 1 is the only one in the history',
    ],
  ])('%s', (_name, list, toRevision, expected) => {
    const choice = chooseControllerRevision(list, toRevision);
    if (typeof expected === 'number') expect(choice.ok && choice.value.revision).toBe(expected);
    else expect(choice).toEqual({ ok: false, reason: expected });
  });

  it("matches a workload already on the revision's template, $patch directive ignored", () => {
    const set: KubeObject = { spec: { template: template('db:3') } };
    expect(controllerRevisionMatches(set, controllerRevision(3, 'db:3'))).toBe(true);
    expect(controllerRevisionMatches(set, controllerRevision(2, 'db:2'))).toBe(false);
  });
});

describe('semanticEqual', () => {
  it.each<[unknown, unknown, boolean]>([
    [{ a: 1, b: {} }, { a: 1 }, true],
    [{ a: [] }, { a: null }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    ['1', 1, false],
    [{ a: { b: { c: 'x' } } }, { a: { b: { c: 'x' } } }, true],
  ])('%j vs %j', (a, b, equal) => {
    expect(semanticEqual(a, b)).toBe(equal);
  });
});
