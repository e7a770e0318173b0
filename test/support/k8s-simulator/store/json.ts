/**
 * The simulator keeps every object as plain JSON, exactly as a client sent it (unknown fields
 * included), so these helpers are all it needs to read, copy and compare them.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function clone<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]))
    );
  }
  return false;
}

/** The object at `key` of `parent`, created empty when missing (or not an object). */
export function child(parent: JsonObject, key: string): JsonObject {
  const existing = parent[key];
  if (isObject(existing)) return existing;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

/** Reads a nested value without creating anything: `at(pod, 'spec', 'containers')`. */
export function at(value: JsonValue | undefined, ...keys: (string | number)[]): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const key of keys) {
    if (typeof key === 'number') {
      current = Array.isArray(current) ? current[key] : undefined;
    } else {
      current = isObject(current) ? current[key] : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

export function objectAt(value: JsonValue | undefined, ...keys: string[]): JsonObject | undefined {
  const found = at(value, ...keys);
  return isObject(found) ? found : undefined;
}

export function arrayAt(value: JsonValue | undefined, ...keys: string[]): JsonValue[] {
  const found = at(value, ...keys);
  return Array.isArray(found) ? found : [];
}

export function objectsAt(value: JsonValue | undefined, ...keys: string[]): JsonObject[] {
  return arrayAt(value, ...keys).filter(isObject);
}

export function stringAt(value: JsonValue | undefined, ...keys: string[]): string | undefined {
  const found = at(value, ...keys);
  return typeof found === 'string' ? found : undefined;
}

export function numberAt(value: JsonValue | undefined, ...keys: string[]): number | undefined {
  const found = at(value, ...keys);
  return typeof found === 'number' ? found : undefined;
}

/** JSON with object keys sorted, so equal objects hash equally whatever the order they were sent in. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
