import { describe, expect, it } from '@jest/globals';
import type { ExistingTag } from '../../actions/build-push/src/registry/ecr.ts';
import { compareExistingTags } from '../../actions/build-push/src/registry/immutable-tags.ts';

const BUILT = `sha256:${'c'.repeat(64)}`;
const OTHER = `sha256:${'e'.repeat(64)}`;
const existing = new Map<string, ExistingTag>([
  ['r/app:same', { digest: `sha256:${'1'.repeat(64)}`, configDigest: BUILT }],
  ['r/app:other', { digest: `sha256:${'2'.repeat(64)}`, configDigest: OTHER }],
  // a multi-platform index has no config of its own
  ['r/app:index', { digest: `sha256:${'3'.repeat(64)}`, configDigest: undefined }],
]);

describe('compareExistingTags', () => {
  it('keeps a tag holding the image built, and calls one holding another a conflict', () => {
    expect(compareExistingTags(['r/app:same', 'r/app:other'], existing, BUILT)).toEqual({
      same: ['r/app:same'],
      different: ['r/app:other'],
      unknown: [],
    });
  });

  it('cannot tell for an index, which has no config digest: neither kept nor a conflict', () => {
    expect(compareExistingTags(['r/app:index', 'r/app:same'], existing, BUILT)).toEqual({
      same: ['r/app:same'],
      different: [],
      unknown: ['r/app:index'],
    });
  });

  it('cannot tell for any tag when the builder reported no image ID', () => {
    expect(compareExistingTags(['r/app:same', 'r/app:other'], existing, undefined)).toEqual({
      same: [],
      different: [],
      unknown: ['r/app:same', 'r/app:other'],
    });
  });
});
