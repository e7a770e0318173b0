/**
 * BuildKit's version as `docker buildx inspect --bootstrap` prints it for the builder's first node:
 * `BuildKit version: v0.13.2` (buildx 0.12 and later) or `Buildkit: v0.11.6` (earlier). With the
 * docker driver it is the BuildKit built into the daemon. Reproducible images need 0.13, the first
 * with the `rewrite-timestamp` exporter option, which clamps the files' times in the layers to
 * SOURCE_DATE_EPOCH (without it the layers keep the checkout's times, new on every run).
 */
export interface BuildkitVersion {
  /** As printed, such as `v0.13.2`. */
  text: string;
  major: number;
  minor: number;
}

const VERSION_LINE = /^\s*Build[Kk]it(?: version)?:\s*(\S+)\s*$/m;

export function parseBuildkitVersion(inspectOutput: string): BuildkitVersion | undefined {
  const text = VERSION_LINE.exec(inspectOutput)?.[1];
  const numbers = text === undefined ? undefined : /^v?(\d+)\.(\d+)/.exec(text);
  if (text === undefined || !numbers) return undefined;
  return { text, major: Number(numbers[1]), minor: Number(numbers[2]) };
}

export function rewritesTimestamps(version: BuildkitVersion): boolean {
  return version.major > 0 || version.minor >= 13;
}
