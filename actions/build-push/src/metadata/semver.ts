/**
 * Semantic versions exactly as node-semver's `valid()` (strict mode) accepts them, which is what
 * metadata-action's `type=semver` checks: an optional `v`, MAJOR.MINOR.PATCH without leading zeros,
 * optional `-pre.release` and `+build`. `version` is node-semver's normalised form: no `v`, no build.
 */
export interface SemVer {
  raw: string;
  major: number;
  minor: number;
  patch: number;
  prerelease: readonly string[];
  version: string;
}

const NUMERIC = '0|[1-9]\\d*';
const IDENTIFIER = `(?:${NUMERIC}|\\d*[a-zA-Z-][a-zA-Z0-9-]*)`;
const BUILD = '[a-zA-Z0-9-]+';
const FULL = new RegExp(
  `^v?(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})` +
    `(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+${BUILD}(?:\\.${BUILD})*)?$`,
);
// node-semver refuses longer strings and components beyond Number.MAX_SAFE_INTEGER.
const MAX_LENGTH = 256;

export function parseSemver(raw: string): SemVer | undefined {
  if (raw.length > MAX_LENGTH) return undefined;
  const match = FULL.exec(raw.trim());
  if (!match) return undefined;
  const [major, minor, patch] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  if (![major, minor, patch].every(Number.isSafeInteger)) return undefined;
  const prerelease = match[4] === undefined ? [] : match[4].split('.');
  const core = `${major}.${minor}.${patch}`;
  return {
    raw,
    major,
    minor,
    patch,
    prerelease,
    version: prerelease.length > 0 ? `${core}-${prerelease.join('.')}` : core,
  };
}
