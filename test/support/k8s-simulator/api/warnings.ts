import { isObject, objectAt, type JsonValue } from '../store/json.ts';
import type { ApiResponse } from './exchange.ts';
import type { ResourceType } from './resources.ts';

/**
 * The `Warning` headers an API server adds to an answer: a deprecated version's warning on every
 * request to it, and for a write, what it accepted but will ignore. The Ingress text follows
 * pkg/api/networking's warning for the legacy class annotation.
 */
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export function withWarnings(type: ResourceType, method: string, answer: ApiResponse): ApiResponse {
  if ('stream' in answer) return answer;
  const warnings = [
    ...(type.deprecationWarning ? [type.deprecationWarning] : []),
    ...(['POST', 'PUT', 'PATCH'].includes(method) && answer.status < 300
      ? objectWarnings(type, answer.body)
      : []),
  ];
  return warnings.length > 0 ? { ...answer, warnings } : answer;
}

function objectWarnings(type: ResourceType, object: JsonValue): string[] {
  if (!isObject(object)) return [];
  const warnings: string[] = [];
  const annotations = objectAt(object, 'metadata', 'annotations') ?? {};
  if (
    type.group === 'networking.k8s.io' &&
    type.kind === 'Ingress' &&
    INGRESS_CLASS_ANNOTATION in annotations
  ) {
    warnings.push(
      `annotation "${INGRESS_CLASS_ANNOTATION}" is deprecated, please use 'spec.ingressClassName' instead`,
    );
  }
  return warnings;
}
