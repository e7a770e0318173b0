import { clone, deepEqual, isObject, type JsonObject, type JsonValue } from '../store/json.ts';
import { isAtomicMap, listSemantics } from './schema.ts';

/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) for built-in types: like a
 * merge patch, except that lists with a patch merge key (containers by name, ports by
 * containerPort...) merge item by item, and the directives kubectl sends are honoured:
 * `$patch: replace|delete|merge`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`,
 * `$retainKeys`. `kubectl rollout undo` of a StatefulSet or DaemonSet sends a ControllerRevision's
 * data, `{"spec":{"template":{..., "$patch":"replace"}}}`, this way.
 */

export class StrategicPatchError extends Error {}

/** Built-in types only: the API server refuses this patch type for custom resources (415). */
interface Context {
  kind: string;
  custom: boolean;
}

export function strategicMergePatch(target: JsonObject, patch: JsonValue, context: Context): JsonObject {
  if (!isObject(patch)) throw new StrategicPatchError('a strategic merge patch must be an object');
  return patchMap(target, patch, context, []) ?? {};
}

/** The patched map, or undefined when the patch deletes it. */
function patchMap(
  target: JsonObject,
  patch: JsonObject,
  context: Context,
  names: string[],
): JsonObject | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return withoutDirectives(patch);
  if (directive !== undefined && directive !== 'merge') {
    throw new StrategicPatchError(
      `Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`,
    );
  }
  const result = clone(target);
  const orders = new Map<string, JsonValue[]>();
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) {
      if (Array.isArray(value)) orders.set(key.slice('$setElementOrder/'.length), value);
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const list = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[list];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[list] = current.filter((item) => !value.some((removed) => deepEqual(removed, item)));
      }
      continue;
    }
    const path = [...names, key];
    if (value === null) {
      delete result[key];
    } else if (isObject(value) && !isAtomicMap(false, path)) {
      const patched = patchMap(
        isObject(result[key]) ? (result[key] as JsonObject) : {},
        value,
        context,
        path,
      );
      if (patched === undefined) delete result[key];
      else result[key] = patched;
    } else if (Array.isArray(value)) {
      result[key] = patchList(
        Array.isArray(result[key]) ? (result[key] as JsonValue[]) : [],
        value,
        context,
        path,
      );
    } else {
      result[key] = clone(value);
    }
  }
  for (const [list, order] of orders) {
    const current = result[list];
    if (Array.isArray(current)) result[list] = reorder(current, order, context, [...names, list]);
  }
  if (Array.isArray(patch.$retainKeys)) {
    const retained = patch.$retainKeys.map(String);
    for (const key of Object.keys(result)) if (!retained.includes(key)) delete result[key];
  }
  return result;
}

function withoutDirectives(value: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    if (!key.startsWith('$')) result[key] = clone(inner);
  }
  return result;
}

function mergeKeyOf(context: Context, names: string[]): string | undefined {
  const semantics = listSemantics(context.kind, context.custom, names);
  if (semantics.type === 'map') return semantics.keys[0];
  return semantics.type === 'set' ? '' : undefined;
}

function patchList(current: JsonValue[], patch: JsonValue[], context: Context, names: string[]): JsonValue[] {
  const mergeKey = mergeKeyOf(context, names);
  if (mergeKey === undefined) return clone(patch);
  if (mergeKey === '') {
    const result = [...current];
    for (const item of patch)
      if (!result.some((existing) => deepEqual(existing, item))) result.push(clone(item));
    return result;
  }
  if (patch.some((item) => isObject(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isObject(item) && item.$patch === 'replace')).map((item) => clone(item));
  }
  const result = [...current];
  for (const item of patch) {
    if (!isObject(item)) throw new StrategicPatchError(`expected a map in list ${names.join('.')}`);
    const index = result.findIndex(
      (existing) => isObject(existing) && deepEqual(existing[mergeKey], item[mergeKey]),
    );
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = patchMap(result[index] as JsonObject, item, context, names) ?? {};
    } else {
      result.push(withoutDirectives(item));
    }
  }
  return result;
}

function reorder(list: JsonValue[], order: JsonValue[], context: Context, names: string[]): JsonValue[] {
  const mergeKey = mergeKeyOf(context, names);
  const keyOf = (item: JsonValue): JsonValue | undefined =>
    mergeKey && isObject(item) ? item[mergeKey] : item;
  const ordered: JsonValue[] = [];
  for (const wanted of order) {
    const wantedKey = keyOf(wanted);
    const found = list.find((item) => deepEqual(keyOf(item), wantedKey));
    if (found !== undefined && !ordered.includes(found)) ordered.push(found);
  }
  return [...ordered, ...list.filter((item) => !ordered.includes(item))];
}
