import { isRecord } from './object.ts';
import { labelValueProblem, qualifiedNameProblem } from './metadata-keys.ts';

/**
 * A workload's `spec.selector` (matchLabels and matchExpressions) as the `labelSelector` query
 * parameter of list and watch calls, so the API server filters and only the workload's own pods,
 * ReplicaSets and ControllerRevisions come back.
 */
export function selectorQuery(selector: unknown): string | undefined {
  if (!isRecord(selector)) return undefined;
  const terms: string[] = [];
  if (isRecord(selector.matchLabels)) {
    for (const [key, value] of Object.entries(selector.matchLabels)) terms.push(`${key}=${String(value)}`);
  }
  if (Array.isArray(selector.matchExpressions)) {
    for (const expression of selector.matchExpressions) {
      const term = expressionTerm(expression);
      if (term) terms.push(term);
    }
  }
  return terms.length > 0 ? terms.join(',') : undefined;
}

function expressionTerm(expression: unknown): string | undefined {
  if (!isRecord(expression) || typeof expression.key !== 'string') return undefined;
  const values = Array.isArray(expression.values) ? expression.values.map(String).join(',') : '';
  switch (expression.operator) {
    case 'In':
      return `${expression.key} in (${values})`;
    case 'NotIn':
      return `${expression.key} notin (${values})`;
    case 'Exists':
      return expression.key;
    case 'DoesNotExist':
      return `!${expression.key}`;
    default:
      return undefined;
  }
}

/**
 * Why a label selector as typed (`app=web,tier in (api,worker),!canary`) is not one the API server
 * accepts, or undefined when it is: apimachinery's selector grammar (=, ==, !=, in, notin, exists,
 * !exists), with its rules for keys and values. Checked before any request.
 */
export function labelSelectorProblem(text: string): string | undefined {
  const requirements = splitRequirements(text);
  if (requirements === undefined) return 'unbalanced parentheses';
  if (requirements.length === 0) return 'it selects nothing';
  for (const requirement of requirements) {
    const problem = requirementProblem(requirement.trim());
    if (problem) return `"${requirement.trim()}": ${problem}`;
  }
  return undefined;
}

function splitRequirements(text: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (depth < 0 || depth > 1) return undefined;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  if (depth !== 0) return undefined;
  parts.push(current);
  return text.trim() === '' ? [] : parts;
}

function requirementProblem(requirement: string): string | undefined {
  if (requirement === '') return 'an empty requirement (a stray comma?)';
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(requirement);
  if (set) {
    const values = (set[3] ?? '').split(',').map((value) => value.trim());
    return keyProblem(set[1] ?? '') ?? values.map(valueProblem).find(Boolean);
  }
  const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(requirement);
  if (equality) return keyProblem(equality[1] ?? '') ?? valueProblem(equality[3] ?? '');
  const exists = /^!?\s*([^=!\s()]+)$/.exec(requirement);
  if (exists) return keyProblem(exists[1] ?? '');
  return 'expected key, !key, key=value, key!=value, key in (a,b) or key notin (a,b)';
}

function keyProblem(key: string): string | undefined {
  const problem = qualifiedNameProblem(key);
  return problem ? `the key "${key}" is not valid: ${problem}` : undefined;
}

function valueProblem(value: string): string | undefined {
  return labelValueProblem(value);
}
