/**
 * Kubernetes' rules for label and annotation keys (qualified names: an optional DNS-subdomain
 * prefix, a slash, a name of at most 63 characters) and label values (at most 63 characters of the
 * same alphabet, or empty), from apimachinery's validation package.
 */
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a key is not a qualified name, or undefined when it is one. */
export function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !SUBDOMAIN.test(prefix))) {
    return 'the prefix before "/" must be a DNS subdomain (lowercase letters, digits, - and .)';
  }
  if (name.length === 0 || name.length > 63) return 'the name must be 1 to 63 characters';
  if (!NAME.test(name)) {
    return 'the name must be letters, digits, -, _ and ., starting and ending with a letter or digit';
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'a label value is at most 63 characters';
  if (!NAME.test(value)) {
    return 'a label value must be letters, digits, -, _ and ., starting and ending with a letter or digit';
  }
  return undefined;
}
