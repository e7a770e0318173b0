import type { JsonObject } from '../store/json.ts';
import { apiVersionOf, type ResourceType } from './resources.ts';

/**
 * An object as served at the version a request used: custom resources are stored once and served
 * at every version their definition lists (no conversion webhook, so only apiVersion changes).
 */
export function presentAs(type: ResourceType, object: JsonObject): JsonObject {
  const apiVersion = apiVersionOf(type);
  return object.apiVersion === apiVersion ? object : { ...object, apiVersion };
}

/**
 * A list item: typed lists of built-in resources omit each item's apiVersion and kind (the list
 * says them once), custom resource lists keep them.
 */
export function listItem(type: ResourceType, object: JsonObject): JsonObject {
  if (type.custom) return presentAs(type, object);
  const item: JsonObject = { ...object };
  delete item.apiVersion;
  delete item.kind;
  return item;
}
