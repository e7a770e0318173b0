/**
 * `${name}` placeholders in a check (a smoke-test URL, a header, a PromQL query) stand for what is
 * known only when the analysis runs: the canary's Service, the idle colour, the revision. GitHub's
 * own `${{ }}` expressions are expanded before the action sees the text, so they never reach here.
 */

const PLACEHOLDER = /\$\{([A-Za-z_][\w-]*)\}/g;

/** Thrown at run time: the caller did not supply a value the check asks for. */
export class UnknownPlaceholderError extends Error {}

export function placeholderNames(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string);
}

/** The names of the placeholders in every string inside a YAML value, each once. */
export function placeholderNamesIn(value: unknown): string[] {
  const names = new Set<string>();
  mapStrings(value, (text) => {
    for (const name of placeholderNames(text)) names.add(name);
    return text;
  });
  return [...names];
}

/** Replaces every placeholder, or throws naming the ones without a value and the ones there are. */
export function substitute(text: string, variables: Record<string, string>): string {
  const missing = placeholderNames(text).filter((name) => !Object.hasOwn(variables, name));
  if (missing.length > 0) {
    const known = Object.keys(variables);
    throw new UnknownPlaceholderError(
      `no value for ${missing.map((name) => `\${${name}}`).join(', ')}; ` +
        (known.length > 0
          ? `the placeholders here are ${known.map((name) => `\${${name}}`).join(', ')}`
          : 'no placeholders are available here'),
    );
  }
  return text.replace(PLACEHOLDER, (_, name: string) => variables[name] as string);
}

/** The same for every string inside a YAML value (a check's headers, its JSON assertions). */
export function substituteDeep(value: unknown, variables: Record<string, string>): unknown {
  return mapStrings(value, (text) => substitute(text, variables));
}

/**
 * Stands in for every placeholder when the input is read, so the rest of the check (a URL's scheme,
 * a header's name) is validated before anything runs. `0` keeps a URL valid in a host, a port or a path.
 */
export function withStandIns(value: unknown): unknown {
  return mapStrings(value, (text) => text.replace(PLACEHOLDER, '0'));
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}

/** A URL may be one placeholder as a whole (`${canary-url}/health`): its stand-in is then a URL. */
export function urlWithStandIns(text: string): string {
  return withStandIns(text.replace(/^\$\{[A-Za-z_][\w-]*\}/, 'http://0')) as string;
}
