import { isRecord } from './object.ts';

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
