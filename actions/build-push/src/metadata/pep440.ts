/**
 * PEP 440 versions as metadata-action's `type=pep440` reads them, through the `@renovate/pep440`
 * library: its regular expression (the one from PEP 440's appendix, an optional `v`, any case) and
 * its normal form, which `{{version}}` prints: no `v`, no epoch when 0, release numbers without
 * leading zeros, `alpha`/`beta`/`c`/`pre`/`preview` as `a`/`b`/`rc`, a missing number as 0,
 * `.postN` and `.devN`. The library joins the parts of a local version (`+abc.5`) with commas
 * when it prints them (`+abc,5`, which the tag sanitizing then turns into `-abc-5`): kept, for the
 * same tags.
 */
export interface Pep440Version {
  /** The text given, which `{{raw}}` prints. */
  raw: string;
  /** The normal form: `{{version}}`. */
  version: string;
  major: number;
  minor: number;
  patch: number;
  /** A pre-, post- or dev-release: tagged with its full version only, and never `latest`. */
  isPrePostOrDev: boolean;
}

const PATTERN = new RegExp(
  '^v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preL>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<preN>[0-9]+)?)?' +
    '(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?)' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$',
  'i',
);

const LETTER_SPELLINGS: Readonly<Record<string, string>> = {
  alpha: 'a',
  beta: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rev: 'post',
  r: 'post',
};

/** undefined for text that is not a PEP 440 version (metadata-action then tags nothing). */
export function parsePep440(raw: string): Pep440Version | undefined {
  const groups = PATTERN.exec(raw)?.groups;
  if (!groups) return undefined;
  const release = (groups['release'] as string).split('.').map(Number);
  const pre = letterPart(groups['preL'], groups['preN']);
  const post = letterPart(groups['postL'], groups['postN1'] ?? groups['postN2']);
  const dev = letterPart(groups['devL'], groups['devN']);
  const epoch = Number(groups['epoch'] ?? 0);
  const local = groups['local']
    ?.split(/[._-]/)
    .map((part) => (Number.isNaN(Number(part)) ? part.toLowerCase() : String(Number(part))));
  const version =
    (epoch !== 0 ? `${epoch}!` : '') +
    release.join('.') +
    (pre ?? '') +
    (post === undefined ? '' : `.${post}`) +
    (dev === undefined ? '' : `.${dev}`) +
    (local === undefined ? '' : `+${local.join(',')}`);
  return {
    raw,
    version,
    major: release[0] as number,
    minor: release[1] ?? 0,
    patch: release[2] ?? 0,
    isPrePostOrDev: pre !== undefined || post !== undefined || dev !== undefined,
  };
}

/** `rc` + `2` -> `rc2`; a number alone is the implicit post-release of `1.0-1`. */
function letterPart(letter: string | undefined, number: string | undefined): string | undefined {
  if (letter) {
    const lower = letter.toLowerCase();
    return `${LETTER_SPELLINGS[lower] ?? lower}${Number(number ?? 0)}`;
  }
  return number ? `post${Number(number)}` : undefined;
}
