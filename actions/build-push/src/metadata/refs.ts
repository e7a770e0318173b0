/** The parts of a Git ref (`GITHUB_REF`) the tag rules read; each is undefined for other kinds of ref. */

export function branchOf(ref: string): string | undefined {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

export function tagOf(ref: string): string | undefined {
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}

/** `refs/pull/15/merge` -> `15` (metadata-action strips only a trailing `/merge`). */
export function pullRequestOf(ref: string): string | undefined {
  return ref.startsWith('refs/pull/') ? ref.slice('refs/pull/'.length).replace(/\/merge$/, '') : undefined;
}
