import { ConfigurationError } from '../../../../shared/src/errors.ts';
import { isValidTag, tagProblem } from '../image-name.ts';
import { expressionScope } from './expressions.ts';
import type { Flavor } from './flavor.ts';
import type { GitHubContext } from './github-context.ts';
import { ruleOutcome } from './rule-values.ts';
import type { TagRule } from './tag-rules.ts';
import { renderTemplate, type TemplateScope } from './template.ts';

export interface TagInput {
  /** Repositories, as `ghcr.io/owner/app`; lower-cased here as metadata-action does. None: bare tags. */
  images: string[];
  /** From parseTagRules: highest priority first. */
  rules: TagRule[];
  flavor: Flavor;
  context: GitHubContext;
}

export interface ComputedTags {
  /** The first tag (highest-priority rule that yields one): the `version` output and label. */
  version: string | undefined;
  /**
   * Every image with every tag, `image:tag`, in metadata-action's order, without duplicates; the tags
   * alone when there is no image, as metadata-action gives them.
   */
  tags: string[];
  /** The tags alone, in the same order. */
  tagSuffixes: string[];
  /** Rules that yielded nothing for a reason the user may not expect (a tag that is not semver, ...). */
  warnings: string[];
}

/**
 * metadata-action's getVersion and getTags (src/meta.ts): enabled rules in priority order each yield
 * at most one tag; the first is the version, `latest` is decided once by the first rule that yields a
 * tag (with latest=auto: a release semver, a match or a Git tag ref; never a pre-release, a branch, a
 * pull request or a schedule), and each tag is sanitized (runs of characters a tag cannot hold become
 * `-`, case kept) then checked, so an impossible tag fails here rather than at push.
 */
export function computeTags(input: TagInput): ComputedTags {
  const { rules, flavor, context } = input;
  const scope = expressionScope(context);
  const found: string[] = [];
  const warnings: string[] = [];
  let latest: boolean | undefined;
  for (const rule of rules) {
    if (!isEnabled(rule, scope)) continue;
    const outcome = ruleOutcome(rule, { context, scope, flavor });
    if (outcome.warning !== undefined) warnings.push(outcome.warning);
    if (outcome.value === undefined || outcome.value === '') continue;
    const tag = checked(sanitizeTag(outcome.value), `tag rule "${rule.source}"`, 'tags');
    if (!found.includes(tag)) found.push(tag);
    latest ??= flavor.latest === 'auto' ? outcome.latestWhenAuto : flavor.latest;
  }
  if (latest) {
    const tag = checked(latestTag(flavor, scope), 'the flavor', 'flavor');
    if (!found.includes(tag)) found.push(tag);
  }
  const images = [...new Set(input.images.map((image) => image.toLowerCase()))];
  return {
    version: found[0],
    tags: images.length === 0 ? found : images.flatMap((image) => found.map((tag) => `${image}:${tag}`)),
    tagSuffixes: found,
    warnings,
  };
}

function isEnabled(rule: TagRule, scope: TemplateScope): boolean {
  const enabled = renderTemplate(rule.enable, scope);
  if (enabled !== 'true' && enabled !== 'false') {
    throw new ConfigurationError(
      `Input "tags", rule "${rule.source}": enable "${rule.enable.source}" gave "${enabled}" for this run; it must give true or false.`,
      { input: 'tags' },
    );
  }
  return enabled === 'true';
}

function sanitizeTag(tag: string): string {
  return tag.replace(/[^a-zA-Z0-9._-]+/g, '-');
}

/** `latest`, with the flavor's prefix and suffix where onlatest=true. */
function latestTag(flavor: Flavor, scope: TemplateScope): string {
  const prefix = flavor.prefixOnLatest ? renderTemplate(flavor.prefix, scope) : '';
  const suffix = flavor.suffixOnLatest ? renderTemplate(flavor.suffix, scope) : '';
  return sanitizeTag(`${prefix}latest${suffix}`);
}

function checked(tag: string, origin: string, input: string): string {
  if (!isValidTag(tag))
    throw new ConfigurationError(`Input "${input}": ${origin} gives ${tagProblem(tag)}.`, { input });
  return tag;
}
