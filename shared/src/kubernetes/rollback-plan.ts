import { field, isRecord, type KubeObject } from './object.ts';

/**
 * The decisions of `kubectl rollout undo` (kubectl/pkg/polymorphichelpers/rollback.go), pure:
 * which ReplicaSet or ControllerRevision to return to, whether the workload already matches it,
 * and the patch that restores it.
 */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const POD_TEMPLATE_HASH = 'pod-template-hash';

/** Kept from the Deployment, never copied from the ReplicaSet, exactly as kubectl does. */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

export type Choice<T> = { ok: true; value: T } | { ok: false; reason: string };

export function replicaSetRevision(replicaSet: KubeObject): number | undefined {
  const text = replicaSet.metadata?.annotations?.[REVISION_ANNOTATION];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/**
 * kubectl's deploymentRevision: with toRevision 0 the second-newest revision (the one before the
 * current), otherwise the ReplicaSet of exactly that revision.
 */
export function chooseReplicaSet(
  replicaSets: readonly KubeObject[],
  toRevision: number,
  deploymentName: string,
): Choice<KubeObject> {
  if (toRevision < 0) return { ok: false, reason: notFound(toRevision) };
  let latest: { set: KubeObject; revision: number } | undefined;
  let previous: { set: KubeObject; revision: number } | undefined;
  for (const set of replicaSets) {
    const revision = replicaSetRevision(set);
    if (revision === undefined) continue;
    if (toRevision > 0) {
      if (revision === toRevision) return { ok: true, value: set };
      continue;
    }
    if (!latest || latest.revision < revision) {
      previous = latest;
      latest = { set, revision };
    } else if (!previous || previous.revision < revision) {
      previous = { set, revision };
    }
  }
  if (toRevision > 0) return { ok: false, reason: notFound(toRevision) };
  if (!previous) return { ok: false, reason: `no rollout history found for deployment "${deploymentName}"` };
  return { ok: true, value: previous.set };
}

/** kubectl's equalIgnoreHash: the templates are the same apart from the pod-template-hash label. */
export function templatesEqualIgnoringHash(a: unknown, b: unknown): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

export interface JsonPatchOperation {
  op: 'replace' | 'add';
  path: string;
  value: unknown;
}

/**
 * kubectl's getDeploymentPatch: replace the template with the ReplicaSet's (hash label removed) and
 * the annotations with the ReplicaSet's, keeping the Deployment's own bookkeeping annotations.
 * `add` rather than kubectl's `replace` for the annotations: it also works on a Deployment that
 * has none, and means the same otherwise (RFC 6902: add on an existing member replaces it).
 */
export function deploymentRollbackPatch(
  deployment: KubeObject,
  replicaSet: KubeObject,
): JsonPatchOperation[] {
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(deployment.metadata?.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
  }
  for (const [key, value] of Object.entries(replicaSet.metadata?.annotations ?? {})) {
    if (!ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
  }
  return [
    { op: 'replace', path: '/spec/template', value: withoutHash(field(replicaSet, 'spec', 'template')) },
    { op: 'add', path: '/metadata/annotations', value: annotations },
  ];
}

/** kubectl's findHistory: toRevision 0 is the second-highest revision; otherwise that exact one. */
export function chooseControllerRevision(
  history: readonly KubeObject[],
  toRevision: number,
): Choice<KubeObject> {
  if (toRevision < 0) return { ok: false, reason: notFound(toRevision) };
  if (toRevision === 0) {
    if (history.length <= 1) return { ok: false, reason: 'no last revision to roll back to' };
    const sorted = [...history].sort((a, b) => controllerRevisionNumber(a) - controllerRevisionNumber(b));
    return { ok: true, value: sorted[sorted.length - 2] as KubeObject };
  }
  const found = history.find((revision) => controllerRevisionNumber(revision) === toRevision);
  return found ? { ok: true, value: found } : { ok: false, reason: notFound(toRevision) };
}

export function controllerRevisionNumber(revision: KubeObject): number {
  return typeof revision.revision === 'number' ? revision.revision : 0;
}

/**
 * kubectl compares the patch it would build from the live template with the revision's bytes;
 * comparing the templates themselves decides the same without depending on key order.
 */
export function controllerRevisionMatches(workload: KubeObject, revision: KubeObject): boolean {
  const stored = field(revision, 'data', 'spec', 'template');
  if (!isRecord(stored)) return false;
  const { $patch: _directive, ...template } = stored;
  return semanticEqual(template, field(workload, 'spec', 'template'));
}

/**
 * apimachinery's semantic equality as it matters here: a missing field, null, an empty map and an
 * empty list are all the same (the API omits empty values; Go compares nil and empty as equal).
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => semanticEqual(item, b[index]));
  }
  if (isRecord(a) && isRecord(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((key) => semanticEqual(a[key], b[key]));
  }
  return a === b;
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (isRecord(value) && Object.keys(value).length === 0)
  );
}

function withoutHash(template: unknown): unknown {
  if (!isRecord(template)) return template;
  const metadata = isRecord(template.metadata) ? template.metadata : {};
  const labels = isRecord(metadata.labels) ? { ...metadata.labels } : undefined;
  if (labels) delete labels[POD_TEMPLATE_HASH];
  return { ...template, metadata: { ...metadata, ...(labels ? { labels } : {}) } };
}

function notFound(revision: number): string {
  return `unable to find specified revision ${revision} in history`;
}
