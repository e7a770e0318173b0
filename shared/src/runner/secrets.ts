import { setSecret } from './workflow-commands.ts';

/**
 * Every secret the action learns is registered here the moment it is known: the runner masks it in
 * the log (`::add-mask::`), and `redact` removes it from text Gantry writes itself (job summary,
 * outputs, error messages), which the runner does not mask.
 */
const known = new Set<string>();

/** Values shorter than this are not masked: masking "1" or "ab" would shred the whole log. */
const MIN_SECRET_LENGTH = 3;

export function maskSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH) return;
  for (const form of new Set([value, encodeURIComponent(value)])) {
    if (known.has(form)) continue;
    known.add(form);
    // A multi-line secret (a key, a kubeconfig) is masked line by line, as the runner matches lines;
    // `redact` knows each line too, because output (exec's tails) is redacted a line at a time.
    for (const line of form.split(/\r?\n/)) {
      if (line.trim().length < MIN_SECRET_LENGTH) continue;
      setSecret(line);
      known.add(line);
    }
  }
}

export const REDACTED = '***';

/**
 * Header, query-parameter and field names whose values are credentials: `Authorization`,
 * `X-Api-Key`, `X-Functions-Key`, `Cookie`, `?token=`, `?sig=` (Azure SAS), `?code=` (Azure
 * Functions). Broad on purpose: masking a value that was no secret costs little.
 */
const CREDENTIAL_NAME =
  /auth|token|secret|passw|pwd|key|cookie|session|signature|credential|private|^sig$|^code$/i;

export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

export function redact(text: string): string {
  let result = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...known].sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join(REDACTED);
  }
  return result;
}

/** Hides the password of a URL (https://user:pass@host), or a lone token (https://token@host), and registers it as a secret. */
export function redactUrlCredentials(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  if (!url.username && !url.password) return raw;
  if (!url.password && !looksLikeToken(url.username)) return raw;
  if (!url.password) {
    // https://TOKEN@host: a lone user name is how tokens are put in URLs (GitHub, GitLab).
    maskSecret(safeDecode(url.username));
    maskSecret(url.username);
    url.username = REDACTED;
    return url.toString();
  }
  maskSecret(safeDecode(url.password));
  maskSecret(url.password);
  url.password = REDACTED;
  return url.toString();
}

/**
 * A lone user name is a token when it looks like one: a known token prefix, or long and random. An
 * ordinary user name (postgres://app@db) is not masked, or every "app" in the log would be.
 */
function looksLikeToken(name: string): boolean {
  return /^(gh[opsur]_|github_pat_|glpat-|xox[abp]-)/.test(name) || (name.length >= 24 && /\d/.test(name));
}

/**
 * A URL for messages: no password (see redactUrlCredentials) and no query string, which may carry a
 * token nobody registered as a secret (a signed redirect target, a `?sig=` of a URL being refused).
 * Works on text that is not a valid URL too.
 */
export function urlForMessages(raw: string): string {
  return redactUrlCredentials(raw.trim()).replace(/\?.*$/s, '?…');
}

/** A password may hold a `%` that is no escape (`100%pure`): decodeURIComponent would throw on it. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
