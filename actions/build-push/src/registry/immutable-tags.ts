import type { ExistingTag } from './ecr.ts';

/**
 * A tag that already exists in an immutable repository can be kept (it holds the image just built)
 * or is a conflict (it holds another). Images are compared by config digest, the one identity a
 * local build and a pushed manifest share; where either side has none — a multi-platform index, a
 * builder that reported no image ID — the answer is unknown, which is neither.
 */
export interface ImmutableTagCheck {
  same: string[];
  different: string[];
  unknown: string[];
}

export function compareExistingTags(
  taken: string[],
  existing: ReadonlyMap<string, ExistingTag>,
  imageId: string | undefined,
): ImmutableTagCheck {
  const check: ImmutableTagCheck = { same: [], different: [], unknown: [] };
  for (const tag of taken) {
    const configDigest = existing.get(tag)?.configDigest;
    if (imageId === undefined || configDigest === undefined) check.unknown.push(tag);
    else if (configDigest === imageId) check.same.push(tag);
    else check.different.push(tag);
  }
  return check;
}
