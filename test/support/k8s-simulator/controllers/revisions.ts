import { clone, deepEqual, isObject, numberAt, objectAt, type JsonObject } from '../store/json.ts';
import { CONTROLLER_MANAGER, CONTROLLER_REVISIONS, type ControllerContext } from './context.ts';
import { controlledBy, controllerReference, int, nameOf, namespaceOf } from './objects.ts';
import { templateHash } from './templates.ts';

/**
 * ControllerRevisions, the history of StatefulSets and DaemonSets: each distinct pod template is
 * stored once as `data: {spec: {template: {..., $patch: replace}}}` (the strategic merge patch
 * `kubectl rollout undo` sends back) with a `revision` number. Going back to an old template
 * reuses its revision object and gives it the next number, as the controllers' history does.
 */

const HASH_LABEL = 'controller.kubernetes.io/hash';

export interface Revision {
  name: string;
  hash: string;
  number: number;
  object: JsonObject;
}

function revisionData(template: JsonObject): JsonObject {
  return { spec: { template: { ...clone(template), $patch: 'replace' } } };
}

/** The pod template stored in a revision. */
export function templateOf(revision: JsonObject): JsonObject {
  const template = clone(objectAt(revision, 'data', 'spec', 'template') ?? {});
  delete template.$patch;
  return template;
}

function describe(object: JsonObject): Revision {
  return {
    name: nameOf(object),
    hash: String(objectAt(object, 'metadata', 'labels')?.[HASH_LABEL] ?? ''),
    number: numberAt(object, 'revision') ?? 0,
    object,
  };
}

export function revisionsOf(context: ControllerContext, owner: JsonObject): Revision[] {
  return controlledBy(context, CONTROLLER_REVISIONS, owner).map(describe);
}

/** The revision of the owner's current template, created or renumbered as needed. */
export function ensureRevision(
  context: ControllerContext,
  owner: JsonObject,
  extraLabels: JsonObject = {},
): Revision {
  const template = objectAt(owner, 'spec', 'template') ?? {};
  const data = revisionData(template);
  const existing = revisionsOf(context, owner);
  const latest = Math.max(0, ...existing.map((revision) => revision.number));
  const equal = existing.find((revision) => deepEqual(revision.object.data, data));
  if (equal) {
    if (equal.number === latest) return equal;
    const renumbered = { ...clone(equal.object), revision: latest + 1 };
    return describe(
      context.objects.update(CONTROLLER_REVISIONS, renumbered, { manager: CONTROLLER_MANAGER }),
    );
  }
  const collisionCount = int(objectAt(owner, 'status')?.collisionCount, 0);
  const hash = templateHash(template, collisionCount);
  const selectorLabels = objectAt(owner, 'spec', 'selector', 'matchLabels') ?? {};
  const created = context.objects.create(
    CONTROLLER_REVISIONS,
    {
      metadata: {
        name: `${nameOf(owner)}-${hash}`,
        namespace: namespaceOf(owner),
        labels: { ...(isObject(selectorLabels) ? selectorLabels : {}), ...extraLabels, [HASH_LABEL]: hash },
        ownerReferences: [controllerReference(owner)],
      },
      data,
      revision: latest + 1,
    },
    { manager: CONTROLLER_MANAGER },
  );
  return describe(created);
}

/** Deletes the oldest revisions beyond revisionHistoryLimit, never one that pods still use. */
export function pruneRevisions(context: ControllerContext, owner: JsonObject, live: Set<string>): void {
  const limit = int(objectAt(owner, 'spec')?.revisionHistoryLimit, 10);
  const history = revisionsOf(context, owner)
    .filter((revision) => !live.has(revision.name))
    .sort((a, b) => a.number - b.number);
  for (const revision of history.slice(0, Math.max(0, history.length - limit))) {
    context.objects.delete(CONTROLLER_REVISIONS, namespaceOf(owner), revision.name);
  }
}
