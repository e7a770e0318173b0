import { revisionOf, type GitHubContext } from './github-context.ts';
import { branchOf, tagOf } from './refs.ts';
import type { Helpers, TemplateScope } from './template.ts';

/**
 * metadata-action's global expressions, usable in the `prefix`, `suffix`, `value` and `enable` of a
 * tag rule, in the flavor's prefix and suffix, and in label values. Each value follows meta.ts.
 */
export const GLOBAL_EXPRESSIONS: Helpers = {
  branch: 'value',
  tag: 'value',
  sha: 'value',
  base_ref: 'value',
  is_default_branch: 'value',
  is_not_default_branch: 'value',
  date: 'date',
  commit_date: 'date',
};

/** A `type=schedule` pattern is rendered with the dates only, as metadata-action's procSchedule does. */
export const DATE_EXPRESSIONS: Helpers = { date: 'date', commit_date: 'date' };

const SHORT_SHA_LENGTH = 7;

export function shortSha(sha: string): string {
  return sha.slice(0, SHORT_SHA_LENGTH);
}

export function expressionScope(context: GitHubContext): TemplateScope {
  const isDefault = isDefaultBranch(context);
  return {
    values: {
      branch: branchOf(context.ref) ?? '',
      tag: tagOf(context.ref) ?? '',
      sha: shortSha(revisionOf(context)),
      base_ref: baseRef(context),
      is_default_branch: String(isDefault),
      is_not_default_branch: String(!isDefault),
    },
    dates: { date: context.now, commit_date: context.commitDate },
  };
}

function baseRef(context: GitHubContext): string {
  if (tagOf(context.ref) !== undefined && context.pushBaseRef !== undefined) {
    return context.pushBaseRef.replace(/^refs\/heads\//, '');
  }
  if (context.ref.startsWith('refs/pull/') && context.prBaseRef !== undefined) return context.prBaseRef;
  return '';
}

/**
 * meta.ts compares the ref with `refs/heads/` removed to the payload's default branch (so a tag or a
 * pull request ref is never the default branch), and counts the events GitHub only ever runs on the
 * default branch's last commit as on it.
 */
function isDefaultBranch(context: GitHubContext): boolean {
  const branch = context.ref.replace(/^refs\/heads\//, '');
  if (branch === '') return false;
  if (context.defaultBranch === branch) return true;
  return /create|discussion|issues|schedule/.test(context.eventName);
}
