import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../shared/src/errors.ts';
import { ociLabels } from '../../../actions/build-push/src/metadata/labels.ts';
import { contextFor, EVENTS, PR_HEAD_SHA, SHA_DEV } from './events.ts';

/** The labels of metadata-action's meta.test.ts for the Hello-World repository, sorted by name as it does. */
function expected(version: string, revision: string): Record<string, string> {
  return {
    'org.opencontainers.image.created': '2020-01-10T00:30:00.000Z',
    'org.opencontainers.image.description': 'This your first repo!',
    'org.opencontainers.image.licenses': 'MIT',
    'org.opencontainers.image.revision': revision,
    'org.opencontainers.image.source': 'https://github.com/octocat/Hello-World',
    'org.opencontainers.image.title': 'Hello-World',
    'org.opencontainers.image.url': 'https://github.com/octocat/Hello-World',
    'org.opencontainers.image.version': version,
  };
}

describe('ociLabels', () => {
  it('a branch push (meta.test.ts push01)', async () => {
    const labels = ociLabels(await contextFor(EVENTS.pushDev), 'dev', {});
    expect(labels).toEqual(expected('dev', SHA_DEV));
    expect(Object.keys(labels)).toEqual(Object.keys(expected('dev', SHA_DEV)));
  });

  it('a pull request carries the head commit (meta.test.ts pr-head-sha pr01)', async () => {
    expect(ociLabels(await contextFor(EVENTS.pullRequest), 'pr-15', {})).toEqual(
      expected('pr-15', PR_HEAD_SHA),
    );
  });

  it('created is the commit date, not the build time, so a rebuild of one commit has the same labels', async () => {
    const context = await contextFor(EVENTS.pushDev, new Date('2031-05-05T05:05:05.000Z'));
    expect(ociLabels(context, 'dev', {})['org.opencontainers.image.created']).toBe(
      '2020-01-10T00:30:00.000Z',
    );
  });

  it('no version: the label is present and empty (meta.test.ts null01)', async () => {
    const labels = ociLabels(await contextFor(EVENTS.pushDev), undefined, {});
    expect(labels['org.opencontainers.image.version']).toBe('');
  });

  it('user labels override and join, sorted (meta.test.ts latest09, json07)', async () => {
    const labels = ociLabels(await contextFor(EVENTS.pushTag('v1.1.1')), 'v1.1.1', {
      maintainer: 'CrazyMax',
      'org.opencontainers.image.description': 'this is a "good" example',
      'org.opencontainers.image.title': 'MyCustom=Title',
      'org.opencontainers.image.vendor': 'MyCompany',
    });
    expect(Object.entries(labels)).toEqual([
      ['maintainer', 'CrazyMax'],
      ['org.opencontainers.image.created', '2020-01-10T00:30:00.000Z'],
      ['org.opencontainers.image.description', 'this is a "good" example'],
      ['org.opencontainers.image.licenses', 'MIT'],
      ['org.opencontainers.image.revision', SHA_DEV],
      ['org.opencontainers.image.source', 'https://github.com/octocat/Hello-World'],
      ['org.opencontainers.image.title', 'MyCustom=Title'],
      ['org.opencontainers.image.url', 'https://github.com/octocat/Hello-World'],
      ['org.opencontainers.image.vendor', 'MyCompany'],
      ['org.opencontainers.image.version', 'v1.1.1'],
    ]);
  });

  it('user label values use the global expressions (README Global expressions)', async () => {
    const labels = ociLabels(await contextFor(EVENTS.pushDev), 'dev', {
      'org.opencontainers.image.created': "{{commit_date 'YYYY-MM-DDTHH:mm:ss.SSS[Z]'}}",
      branch: '{{branch}}@{{sha}}',
    });
    expect(labels['org.opencontainers.image.created']).toBe('2020-01-10T00:30:00.000Z');
    expect(labels['branch']).toBe('dev@860c190');
  });

  it('a bad expression in a label is a configuration error on labels', async () => {
    const context = await contextFor(EVENTS.pushDev);
    expect(() => ociLabels(context, 'dev', { team: '{{owner}}' })).toThrow(ConfigurationError);
    expect(() => ociLabels(context, 'dev', { team: '{{owner}}' })).toThrow(
      'Input "labels", label "team": "{{owner}}" is not a known',
    );
  });

  it('without the repository in the payload: title and URLs from GITHUB_REPOSITORY, the rest empty', async () => {
    const labels = ociLabels(await contextFor(EVENTS.schedule), 'nightly', {});
    expect(labels).toMatchObject({
      'org.opencontainers.image.title': 'Hello-World',
      'org.opencontainers.image.url': 'https://github.com/octocat/Hello-World',
      'org.opencontainers.image.source': 'https://github.com/octocat/Hello-World',
      'org.opencontainers.image.description': '',
      'org.opencontainers.image.licenses': '',
    });
  });
});
