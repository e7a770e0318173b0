import { describe, expect, it } from '@jest/globals';
import { parsePep440 } from '../../../actions/build-push/src/metadata/pep440.ts';

/**
 * Normal forms worked out by hand from PEP 440's grammar and @renovate/pep440's `clean` (the
 * library metadata-action's type=pep440 uses): spellings normalized, implicit numbers made 0,
 * leading zeros dropped, `.post`/`.dev` separators, a local part joined with commas.
 */
describe('parsePep440', () => {
  it.each([
    ['1.0', '1.0', [1, 0, 0], false],
    ['v1.2.3', '1.2.3', [1, 2, 3], false],
    ['V1.2.3', '1.2.3', [1, 2, 3], false],
    ['01.02.003', '1.2.3', [1, 2, 3], false],
    ['1.2.3.4', '1.2.3.4', [1, 2, 3], false],
    ['2', '2', [2, 0, 0], false],
    ['1.1b2', '1.1b2', [1, 1, 0], true],
    ['1.1beta2', '1.1b2', [1, 1, 0], true],
    ['1.0alpha', '1.0a0', [1, 0, 0], true],
    ['1.0c1', '1.0rc1', [1, 0, 0], true],
    ['1.0pre3', '1.0rc3', [1, 0, 0], true],
    ['1.0preview3', '1.0rc3', [1, 0, 0], true],
    ['1.0.0-beta.1', '1.0.0b1', [1, 0, 0], true],
    ['1.0dev4', '1.0.dev4', [1, 0, 0], true],
    ['1.0.dev', '1.0.dev0', [1, 0, 0], true],
    ['1.2post1', '1.2.post1', [1, 2, 0], true],
    ['1.2-r4', '1.2.post4', [1, 2, 0], true],
    ['1.2.rev', '1.2.post0', [1, 2, 0], true],
    ['1.0-1', '1.0.post1', [1, 0, 0], true],
    ['1.0a1.post2.dev3', '1.0a1.post2.dev3', [1, 0, 0], true],
    ['1!2.0', '1!2.0', [2, 0, 0], false],
    ['0!2.0', '2.0', [2, 0, 0], false],
    ['1.0+ubuntu.1', '1.0+ubuntu,1', [1, 0, 0], false],
    ['1.0+Local_07', '1.0+local,7', [1, 0, 0], false],
  ])('%s is %s', (raw, version, [major, minor, patch], prePostOrDev) => {
    expect(parsePep440(raw)).toEqual({ raw, version, major, minor, patch, isPrePostOrDev: prePostOrDev });
  });

  it.each(['', 'latest', 'v', '1.x', '1..0', '1.0-beta-final', ' 1.0', '1.0 ', '1.0+', '1.0+a..b', 'vv1.0'])(
    '%j is not a PEP 440 version',
    (raw) => {
      expect(parsePep440(raw)).toBeUndefined();
    },
  );
});
