/**
 * Whether ECR refuses to move a tag. Since 2025 a repository's setting can have exceptions:
 * IMMUTABLE_WITH_EXCLUSION keeps tags matching its wildcard filters (`latest`, `dev-*`) mutable, and
 * MUTABLE_WITH_EXCLUSION makes matching tags immutable. `*` matches any run of characters.
 */

export interface TagMutability {
  /** The repository's rule: IMMUTABLE or IMMUTABLE_WITH_EXCLUSION. */
  immutable: boolean;
  /** Wildcard filters naming the tags that follow the opposite rule. */
  mutabilityExclusions: string[];
}

export function isTagImmutable(mutability: TagMutability, tag: string): boolean {
  const excluded = mutability.mutabilityExclusions.some((filter) => wildcard(filter).test(tag));
  return mutability.immutable !== excluded;
}

function wildcard(filter: string): RegExp {
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`);
}
