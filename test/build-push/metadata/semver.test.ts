import { describe, expect, it } from '@jest/globals';
import { parseSemver } from '../../../actions/build-push/src/metadata/semver.ts';

describe('parseSemver (node-semver valid(), strict)', () => {
  it.each([
    ['v1.2.3', { major: 1, minor: 2, patch: 3, prerelease: [], version: '1.2.3' }],
    ['1.2.3', { version: '1.2.3' }],
    ['v2.0.8-beta.67', { prerelease: ['beta', '67'], version: '2.0.8-beta.67' }],
    ['v2.0.0-rc.1', { major: 2, prerelease: ['rc', '1'], version: '2.0.0-rc.1' }],
    // meta.test.ts fixture v9.5.7-alpha.2+fork.3.1.8: the build is dropped from {{version}}
    ['v9.5.7-alpha.2+fork.3.1.8', { prerelease: ['alpha', '2'], version: '9.5.7-alpha.2' }],
    ['0.0.0', { major: 0, version: '0.0.0' }],
    ['1.2.3-0a.x-y', { prerelease: ['0a', 'x-y'] }],
  ])('%s', (raw, expected) => {
    expect(parseSemver(raw)).toMatchObject({ raw, ...expected });
  });

  it.each([
    'release1',
    '20200110-RC2',
    'v1.2',
    '1.2.3.4',
    '01.2.3',
    '1.2.3-01',
    '1.2.3-',
    '1.2.3+',
    'V1.2.3',
    '=1.2.3',
    'p1-v1.0.0',
    '1.2.3rc2',
    '9007199254740992.0.0',
    `1.2.3-${'a'.repeat(260)}`,
  ])('%s is not a semantic version', (raw) => {
    expect(parseSemver(raw)).toBeUndefined();
  });
});
