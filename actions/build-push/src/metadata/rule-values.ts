import { shortSha } from './expressions.ts';
import type { Flavor } from './flavor.ts';
import { revisionOf, type GitHubContext } from './github-context.ts';
import { branchOf, pullRequestOf, tagOf } from './refs.ts';
import { parsePep440 } from './pep440.ts';
import { parseSemver } from './semver.ts';
import type { EdgeRule, MatchRule, TagRule, VersionRule } from './tag-rules.ts';
import { renderTemplate, type TemplateScope } from './template.ts';

/**
 * What one rule yields for one run, following the proc* functions of metadata-action's meta.ts: the
 * tag text with its prefix and suffix (not yet sanitized), and whether `latest=auto` adds `latest`
 * when this rule is the first to yield a tag. No tag, with a warning when the user may not expect it.
 */
export type RuleOutcome =
  | { value: string; latestWhenAuto: boolean; warning?: string }
  | { value: undefined; warning: string | undefined };

export interface RuleInput {
  context: GitHubContext;
  scope: TemplateScope;
  flavor: Flavor;
}

const NOTHING: RuleOutcome = { value: undefined, warning: undefined };

export function ruleOutcome(rule: TagRule, input: RuleInput): RuleOutcome {
  const { context, scope } = input;
  const yields = (raw: string, latestWhenAuto: boolean): RuleOutcome => ({
    value: withAffixes(raw, rule, input),
    latestWhenAuto,
  });
  switch (rule.type) {
    case 'schedule':
      return /schedule/.test(context.eventName)
        ? yields(renderTemplate(rule.pattern, scope), false)
        : NOTHING;
    case 'semver':
      return semver(rule, input, yields);
    case 'pep440':
      return pep440(rule, input, yields);
    case 'match':
      return match(rule, input, yields);
    case 'edge':
      return edge(rule, context, yields);
    case 'ref': {
      const name = { branch: branchOf, tag: tagOf, pr: pullRequestOf }[rule.event](context.ref);
      return name === undefined ? NOTHING : yields(name, rule.event === 'tag');
    }
    case 'raw':
      return yields(renderTemplate(rule.value, scope), false);
    case 'sha': {
      const sha = revisionOf(context);
      if (sha === '') return NOTHING;
      return yields(rule.format === 'short' ? shortSha(sha) : sha, false);
    }
  }
}

type Yields = (raw: string, latestWhenAuto: boolean) => RuleOutcome;

/** semver, pep440 and match read the pushed Git tag, or their value= on any event. */
function versionSource(rule: VersionRule | MatchRule, input: RuleInput): string | undefined {
  if (rule.value.source !== '') return renderTemplate(rule.value, input.scope);
  return tagOf(input.context.ref);
}

/**
 * The version text of a semver or pep440 rule: match='s group 1 when it matches (metadata-action warns
 * and goes on with the whole text when it does not), then `/` as `-`.
 */
function versionText(rule: VersionRule, input: RuleInput, warnings: string[]): string | undefined {
  const source = versionSource(rule, input);
  if (source === undefined) return undefined;
  let text = source;
  if (rule.match) {
    const found = source.match(rule.match);
    if (found?.[1] !== undefined) text = found[1];
    else
      warnings.push(`match "${rule.match.source}" of tag rule "${rule.source}" does not match "${source}"`);
  }
  return text.replace(/\//g, '-');
}

function semver(rule: VersionRule, input: RuleInput, yields: Yields): RuleOutcome {
  const warnings: string[] = [];
  const source = versionText(rule, input, warnings);
  if (source === undefined) return NOTHING;
  const version = parseSemver(source);
  if (!version) {
    warnings.push(
      `"${source}" is not a semantic version (https://semver.org), so tag rule "${rule.source}" yields no tag`,
    );
    return { value: undefined, warning: warnings.join('; ') };
  }
  const values = {
    raw: version.raw,
    version: version.version,
    major: String(version.major),
    minor: String(version.minor),
    patch: String(version.patch),
  };
  // A pre-release only ever gets its full version (or {{raw}}), and never `latest`: README, type=semver.
  if (version.prerelease.length > 0) {
    return warned(yields(rule.patternIsRaw ? version.raw : version.version, false), warnings);
  }
  return warned(yields(renderTemplate(rule.pattern, { values, dates: {} }), true), warnings);
}

/** metadata-action's procPep440: like semver, with PEP 440's pre-, post- and dev-releases. */
function pep440(rule: VersionRule, input: RuleInput, yields: Yields): RuleOutcome {
  const warnings: string[] = [];
  const source = versionText(rule, input, warnings);
  if (source === undefined) return NOTHING;
  const version = parsePep440(source);
  if (!version) {
    warnings.push(
      `"${source}" does not conform to PEP 440 (https://peps.python.org/pep-0440/), so tag rule "${rule.source}" yields no tag`,
    );
    return { value: undefined, warning: warnings.join('; ') };
  }
  if (version.isPrePostOrDev) {
    return warned(yields(rule.patternIsRaw ? version.raw : version.version, false), warnings);
  }
  const values = {
    raw: version.raw,
    version: version.version,
    major: String(version.major),
    minor: String(version.minor),
    patch: String(version.patch),
  };
  return warned(yields(renderTemplate(rule.pattern, { values, dates: {} }), true), warnings);
}

function warned(outcome: RuleOutcome, warnings: string[]): RuleOutcome {
  return warnings.length === 0 ? outcome : { ...outcome, warning: warnings.join('; ') };
}

function match(rule: MatchRule, input: RuleInput, yields: Yields): RuleOutcome {
  const source = versionSource(rule, input);
  if (source === undefined) return NOTHING;
  // String#match, as metadata-action: with the g flag it lists whole matches instead of groups.
  rule.pattern.lastIndex = 0;
  const found = source.match(rule.pattern);
  if (!found) return { value: undefined, warning: `tag rule "${rule.source}" does not match "${source}"` };
  const group = found[rule.group];
  if (group === undefined) {
    return {
      value: undefined,
      warning: `tag rule "${rule.source}" has no group ${rule.group} in its match of "${source}"`,
    };
  }
  return yields(group, true);
}

function edge(rule: EdgeRule, context: GitHubContext, yields: Yields): RuleOutcome {
  const branch = branchOf(context.ref);
  if (branch === undefined) return NOTHING;
  const target = rule.branch || context.defaultBranch;
  return target === branch ? yields('edge', false) : NOTHING;
}

/** A rule's own prefix= / suffix= (even empty) replaces the flavor's. */
function withAffixes(raw: string, rule: TagRule, { flavor, scope }: RuleInput): string {
  const prefix = rule.prefix ?? (flavor.prefix.source === '' ? undefined : flavor.prefix);
  const suffix = rule.suffix ?? (flavor.suffix.source === '' ? undefined : flavor.suffix);
  return (
    (prefix === undefined ? '' : renderTemplate(prefix, scope)) +
    raw +
    (suffix === undefined ? '' : renderTemplate(suffix, scope))
  );
}
