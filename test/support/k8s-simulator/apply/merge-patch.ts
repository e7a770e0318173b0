import { clone, isObject, type JsonObject, type JsonValue } from '../store/json.ts';

/** JSON merge patch (RFC 7386, `application/merge-patch+json`): objects merge, null deletes, the rest replaces. */
export function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
