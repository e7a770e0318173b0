import { JsonPatchError, jsonPatch } from '../apply/json-patch.ts';
import { mergePatch } from '../apply/merge-patch.ts';
import { StrategicPatchError, strategicMergePatch } from '../apply/strategic-merge-patch.ts';
import type { JsonObject, JsonValue } from '../store/json.ts';
import { parseJsonBody } from './bodies.ts';
import type { ResourceType } from './resources.ts';
import { ApiError, errors } from './status.ts';

/**
 * The PATCH content types and what each does to the live object. Server-side apply is the fourth
 * and is handled apart, because it also decides ownership.
 */

export const APPLY = 'application/apply-patch+yaml';
const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';

/** Refuses a content type the resource does not take (415): strategic merge needs a built-in schema. */
export function checkPatchType(type: ResourceType, contentType: string): void {
  const accepted = [JSON_PATCH, MERGE, APPLY, ...(type.custom ? [] : [STRATEGIC])];
  if (!accepted.includes(contentType)) throw errors.unsupportedMediaType(contentType, accepted);
}

/** The live object with a merge, JSON or strategic merge patch applied; a patch that cannot apply is a 422. */
export function applyPatch(
  type: ResourceType,
  contentType: string,
  live: JsonObject,
  body: string,
): JsonValue {
  const patch = parseJsonBody(body);
  try {
    if (contentType === MERGE) return mergePatch(live, patch);
    if (contentType === JSON_PATCH) return jsonPatch(live, patch);
    return strategicMergePatch(live, patch, { kind: type.kind, custom: type.custom });
  } catch (error) {
    if (error instanceof JsonPatchError || error instanceof StrategicPatchError) {
      throw new ApiError(422, 'Invalid', error.message);
    }
    throw error;
  }
}
