import { field, isRecord, type KubeObject } from '../object.ts';

/**
 * The decisions of `kubectl rollout undo` (kubectl/pkg/polymorphichelpers/rollback.go), pure:
 * which ReplicaSet or ControllerRevision to return to, whether the workload already matches it,
 * and the patch that restores it. Two departures where kubectl's behaviour is a quirk rather than
 * a rule: a missing revision is reported with the revisions that do exist ("revision 7 not found
 * (available: 3, 4, 5, 6)"), and the Deployment keeps annotations of its own that the ReplicaSet
 * does not carry (kubectl drops them).
 */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const POD_TEMPLATE_HASH = 'pod-template-hash';

/** Kept from the Deployment, never copied from the ReplicaSet, as kubectl does. */
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
export function chooseReplicaSet(replicaSets: readonly KubeObject[], toRevision: number): Choice<KubeObject> {
  const available = replicaSets.flatMap((set) => replicaSetRevision(set) ?? []);
  if (toRevision < 0) return { ok: false, reason: notFound(toRevision, available) };
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
  if (toRevision > 0) return { ok: false, reason: notFound(toRevision, available) };
  if (!previous) return { ok: false, reason: noPrevious(available) };
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
 * take the ReplicaSet's annotations, keeping the Deployment's bookkeeping annotations. Unlike
 * kubectl, the Deployment's other annotations that the ReplicaSet does not carry are kept too
 * (kubectl drops them, which surprises whoever set them). `add` rather than kubectl's `replace` for the annotations: it also works on a Deployment that
 * has none, and means the same otherwise (RFC 6902: add on an existing member replaces it).
 */
export function deploymentRollbackPatch(
  deployment: KubeObject,
  replicaSet: KubeObject,
): JsonPatchOperation[] {
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(deployment.metadata?.annotations ?? {})) {
    annotations[key] = value;
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
  const available = history.map(controllerRevisionNumber);
  if (toRevision < 0) return { ok: false, reason: notFound(toRevision, available) };
  if (toRevision === 0) {
    if (history.length <= 1) return { ok: false, reason: noPrevious(available) };
    const sorted = [...history].sort((a, b) => controllerRevisionNumber(a) - controllerRevisionNumber(b));
    return { ok: true, value: sorted[sorted.length - 2] as KubeObject };
  }
  const found = history.find((revision) => controllerRevisionNumber(revision) === toRevision);
  return found ? { ok: true, value: found } : { ok: false, reason: notFound(toRevision, available) };
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

function notFound(revision: number, available: number[]): string {
  return `revision ${revision} not found (available: ${listRevisions(available)})`;
}

function noPrevious(available: number[]): string {
  return available.length === 0
    ? 'no previous revision: there is no rollout history'
    : `no previous revision: revision ${available[0]} is the only one in the history`;
}

function listRevisions(revisions: number[]): string {
  return revisions.length === 0 ? 'none' : [...new Set(revisions)].sort((a, b) => a - b).join(', ');
}

/** The revision number of a ReplicaSet or ControllerRevision, 0 when it has none. */
export function historyRevision(entry: KubeObject): number {
  return typeof entry.revision === 'number' ? entry.revision : (replicaSetRevision(entry) ?? 0);
}

/** The pod template a ReplicaSet or ControllerRevision holds. */
export function historyTemplate(entry: KubeObject): unknown {
  return field(entry, 'spec', 'template') ?? field(entry, 'data', 'spec', 'template');
}

/** Container name -> image of a pod template, init containers included. */
export function templateImages(template: unknown): Record<string, string> {
  const images: Record<string, string> = {};
  for (const list of ['initContainers', 'containers']) {
    const containers = field(template, 'spec', list);
    if (!Array.isArray(containers)) continue;
    for (const container of containers) {
      if (isRecord(container) && typeof container.name === 'string' && typeof container.image === 'string') {
        images[container.name] = container.image;
      }
    }
  }
  return images;
}

/**
 * The newest entry of a history whose template runs exactly these images (container name ->
 * image): how a recorded release is found again, since revision numbers change on every rollback.
 */
export function chooseByImages(
  history: readonly KubeObject[],
  images: Record<string, string>,
): Choice<KubeObject> {
  const matching = history
    .filter((entry) => semanticEqual(templateImages(historyTemplate(entry)), images))
    .sort((a, b) => historyRevision(b) - historyRevision(a));
  const found = matching[0];
  if (found) return { ok: true, value: found };
  const wanted = Object.entries(images)
    .map(([name, image]) => `${name}=${image}`)
    .join(', ');
  return {
    ok: false,
    reason: `no revision in its history runs the recorded images (${wanted}); available: ${listRevisions(history.map(historyRevision))}`,
  };
}
