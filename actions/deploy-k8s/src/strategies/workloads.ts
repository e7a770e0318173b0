import { field, isRecord, type KubeObject } from '../../../../shared/src/kubernetes/object.ts';
import type { Manifest } from '../manifests/manifest.ts';

/**
 * What the strategies read from objects: which Services front a Deployment (their selector matches
 * its pod template's labels), its selector, its pod labels, and whether an object is an HTTPRoute.
 */
export type Labels = Record<string, string>;

export function isHttpRoute(object: KubeObject): boolean {
  return (
    object.kind === 'HTTPRoute' && String(object.apiVersion ?? '').startsWith('gateway.networking.k8s.io/')
  );
}

export function podLabels(deployment: KubeObject): Labels {
  return stringMap(field(deployment, 'spec', 'template', 'metadata', 'labels'));
}

export function matchLabels(deployment: KubeObject): Labels {
  return stringMap(field(deployment, 'spec', 'selector', 'matchLabels'));
}

export function serviceSelector(service: KubeObject): Labels {
  return stringMap(field(service, 'spec', 'selector'));
}

/** A Service selector (equality only) selects labels when every one of its pairs is among them. */
export function selects(selector: Labels, labels: Labels): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** A Deployment's `spec.selector` (matchLabels and matchExpressions) against a set of pod labels. */
export function deploymentSelects(deployment: KubeObject, labels: Labels): boolean {
  const selector = field(deployment, 'spec', 'selector');
  if (!isRecord(selector)) return false;
  const pairs = Object.entries(stringMap(selector.matchLabels));
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  if (pairs.length === 0 && expressions.length === 0) return false;
  return (
    pairs.every(([key, value]) => labels[key] === value) &&
    expressions.every((expression) => expressionHolds(expression, labels))
  );
}

function expressionHolds(expression: unknown, labels: Labels): boolean {
  if (!isRecord(expression) || typeof expression.key !== 'string') return false;
  const values = Array.isArray(expression.values) ? expression.values.map(String) : [];
  const value = labels[expression.key];
  switch (expression.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}

/** The Services of the manifests in the Deployment's namespace whose selector picks its pods. */
export function servicesSelecting(manifests: readonly Manifest[], deployment: Manifest): Manifest[] {
  const labels = podLabels(deployment.object);
  return manifests.filter(
    (manifest) =>
      manifest.object.kind === 'Service' &&
      manifest.object.apiVersion === 'v1' &&
      manifest.object.metadata.namespace === deployment.object.metadata.namespace &&
      selects(serviceSelector(manifest.object), labels),
  );
}

function stringMap(value: unknown): Labels {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, String(item)]));
}
