import { deepEqual, isObject, type JsonObject, type JsonValue } from '../store/json.ts';
import { isAtomicMap, listSemantics, type ListSemantics } from './schema.ts';

/**
 * Sets of field paths, the currency of server-side apply: which fields an applied configuration
 * mentions, which an update changed, which a manager owns. A path is a list of FieldsV1 elements
 * (`f:spec`, `k:{"name":"app"}`, `v:"x"`) kept joined in a string so sets compare by value. A path
 * in a set means its node is owned; FieldsV1 writes that as `{}` for a leaf and `".": {}` for a
 * node that also has owned children.
 */

export type FieldSet = Set<string>;

/** Which type's list and map semantics apply. */
export interface Schema {
  kind: string;
  custom: boolean;
}

const SEPARATOR = '\u0000';

export function pathKey(elements: readonly string[]): string {
  return elements.join(SEPARATOR);
}

function pathElements(key: string): string[] {
  return key === '' ? [] : key.split(SEPARATOR);
}

/** Maps whose keys are data (labels, annotations...): an Update that creates one owns the map too. */
const MAP_TYPED_FIELDS = new Set([
  'labels',
  'annotations',
  'nodeSelector',
  'data',
  'stringData',
  'binaryData',
  'limits',
  'requests',
]);

interface Walk {
  schema: Schema;
  elements: string[];
  names: string[];
}

function enter(walk: Walk, key: string): Walk {
  return { schema: walk.schema, elements: [...walk.elements, `f:${key}`], names: [...walk.names, key] };
}

/** The path element of one item of a keyed or set list. */
export function itemElement(item: JsonValue, semantics: ListSemantics): string {
  if (semantics.type === 'set') return `v:${JSON.stringify(item)}`;
  if (semantics.type !== 'map') throw new Error('atomic lists have no item paths');
  const key: JsonObject = {};
  for (const name of [...semantics.keys].sort()) {
    key[name] = (isObject(item) ? item[name] : undefined) ?? semantics.defaults[name] ?? null;
  }
  return `k:${JSON.stringify(key)}`;
}

function isGranularMap(walk: Walk, value: JsonValue | undefined): value is JsonObject {
  return isObject(value) && Object.keys(value).length > 0 && !isAtomicMap(walk.schema.custom, walk.names);
}

function semanticsOf(walk: Walk): ListSemantics {
  return listSemantics(walk.schema.kind, walk.schema.custom, walk.names);
}

/**
 * What an applied configuration mentions: every leaf and every list item, not the maps that
 * merely contain them (SMD's `SetFromValue`).
 */
export function fieldsOf(object: JsonObject, schema: Schema): FieldSet {
  const set: FieldSet = new Set();
  const visit = (value: JsonValue, walk: Walk): void => {
    if (isGranularMap(walk, value)) {
      for (const [key, inner] of Object.entries(value)) visit(inner, enter(walk, key));
      return;
    }
    const semantics = Array.isArray(value) && value.length > 0 ? semanticsOf(walk) : undefined;
    if (!semantics || semantics.type === 'atomic' || !Array.isArray(value)) {
      set.add(pathKey(walk.elements));
      return;
    }
    for (const item of value) {
      const elements = [...walk.elements, itemElement(item, semantics)];
      set.add(pathKey(elements));
      if (semantics.type === 'map' && isObject(item)) {
        for (const [key, inner] of Object.entries(item)) {
          visit(inner, { schema, elements: [...elements, `f:${key}`], names: [...walk.names, key] });
        }
      }
    }
  };
  for (const [key, value] of Object.entries(object))
    visit(value, enter({ schema, elements: [], names: [] }, key));
  return set;
}

/** Every node of an object, containers included: what can disappear when a field is removed. */
export function allPaths(object: JsonObject, schema: Schema): FieldSet {
  const set: FieldSet = new Set();
  const visit = (value: JsonValue, walk: Walk): void => {
    set.add(pathKey(walk.elements));
    if (isGranularMap(walk, value)) {
      for (const [key, inner] of Object.entries(value)) visit(inner, enter(walk, key));
      return;
    }
    if (!Array.isArray(value) || value.length === 0) return;
    const semantics = semanticsOf(walk);
    if (semantics.type === 'atomic') return;
    for (const item of value) {
      const elements = [...walk.elements, itemElement(item, semantics)];
      set.add(pathKey(elements));
      if (semantics.type === 'map' && isObject(item)) {
        for (const [key, inner] of Object.entries(item)) {
          visit(inner, { schema, elements: [...elements, `f:${key}`], names: [...walk.names, key] });
        }
      }
    }
  };
  for (const [key, value] of Object.entries(object))
    visit(value, enter({ schema, elements: [], names: [] }, key));
  return set;
}

/** What an Update changed: added or modified leaves, new list items, and new data maps. */
export function changedFields(before: JsonObject, after: JsonObject, schema: Schema): FieldSet {
  const set: FieldSet = new Set();
  const visit = (old: JsonValue | undefined, value: JsonValue, walk: Walk): void => {
    if (deepEqual(old, value)) return;
    if (isGranularMap(walk, value)) {
      const previous = isObject(old) ? old : undefined;
      if (!previous && MAP_TYPED_FIELDS.has(walk.names.at(-1) ?? '')) set.add(pathKey(walk.elements));
      for (const [key, inner] of Object.entries(value)) visit(previous?.[key], inner, enter(walk, key));
      return;
    }
    const semantics = Array.isArray(value) && value.length > 0 ? semanticsOf(walk) : undefined;
    if (!semantics || semantics.type === 'atomic' || !Array.isArray(value)) {
      set.add(pathKey(walk.elements));
      return;
    }
    const oldItems = Array.isArray(old) ? old : [];
    for (const item of value) {
      const element = itemElement(item, semantics);
      const match = oldItems.find((candidate) => itemElement(candidate, semantics) === element);
      const elements = [...walk.elements, element];
      if (match === undefined) set.add(pathKey(elements));
      if (semantics.type === 'map' && isObject(item)) {
        const previous = isObject(match) ? match : {};
        for (const [key, inner] of Object.entries(item)) {
          visit(previous[key], inner, {
            schema,
            elements: [...elements, `f:${key}`],
            names: [...walk.names, key],
          });
        }
      }
    }
  };
  for (const [key, value] of Object.entries(after)) {
    visit(before[key], value, enter({ schema, elements: [], names: [] }, key));
  }
  return set;
}

export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const key of [...set].sort()) {
    let node = root;
    for (const element of pathElements(key)) {
      const next = node[element];
      if (isObject(next)) {
        node = next;
      } else {
        const created: JsonObject = {};
        node[element] = created;
        node = created;
      }
    }
    node['.'] = {};
  }
  // A member without children is written `{}`, not `{".": {}}`.
  const compact = (node: JsonObject): JsonObject => {
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === '.') return {};
    const result: JsonObject = {};
    for (const key of keys) result[key] = key === '.' ? {} : compact(node[key] as JsonObject);
    return result;
  };
  return compact(root);
}

export function fromFieldsV1(fields: JsonValue | undefined): FieldSet {
  const set: FieldSet = new Set();
  const visit = (node: JsonObject, elements: string[]): void => {
    const keys = Object.keys(node);
    if (elements.length > 0 && (keys.length === 0 || keys.includes('.'))) set.add(pathKey(elements));
    for (const key of keys) {
      const inner = node[key];
      if (key !== '.' && isObject(inner)) visit(inner, [...elements, key]);
    }
  };
  if (isObject(fields)) visit(fields, []);
  return set;
}

/** SMD's rendering of a path, as conflict messages show it: `.spec.template.spec.containers[name="app"].image`. */
export function describePath(key: string): string {
  return pathElements(key)
    .map((element) => {
      const body = element.slice(2);
      if (element.startsWith('f:')) return `.${body}`;
      if (element.startsWith('v:')) return `[=${body}]`;
      if (element.startsWith('i:')) return `[${body}]`;
      const fields = JSON.parse(body) as JsonObject;
      return `[${Object.entries(fields)
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
        .join(',')}]`;
    })
    .join('');
}

/** Whether `set` holds `key` itself or any path below it. */
export function ownsWithin(set: FieldSet, key: string): boolean {
  if (set.has(key)) return true;
  const prefix = key + SEPARATOR;
  for (const owned of set) if (owned.startsWith(prefix)) return true;
  return false;
}

interface Located {
  container: JsonObject | JsonValue[];
  /** The key in an object, or the index in a list. */
  at: string | number;
  /** Containers from the root down to `container`, for pruning. */
  parents: { container: JsonObject | JsonValue[]; at: string | number }[];
}

/** Finds the node of a path in an object, or undefined when it is not there. */
function locate(object: JsonObject, key: string, schema: Schema): Located | undefined {
  const elements = pathElements(key);
  const parents: Located['parents'] = [];
  let container: JsonObject | JsonValue[] = object;
  const names: string[] = [];
  for (let index = 0; index < elements.length; index += 1) {
    const element = elements[index]!;
    const body = element.slice(2);
    let at: string | number;
    if (element.startsWith('f:')) {
      if (!isObject(container) || !Object.hasOwn(container, body)) return undefined;
      at = body;
      names.push(body);
    } else {
      if (!Array.isArray(container)) return undefined;
      const semantics = listSemantics(schema.kind, schema.custom, names);
      if (semantics.type === 'atomic') return undefined;
      at = container.findIndex((item) => itemElement(item, semantics) === element);
      if (at < 0) return undefined;
    }
    if (index === elements.length - 1) return { container, at, parents };
    parents.push({ container, at });
    const next: JsonValue | undefined = Array.isArray(container)
      ? container[at as number]
      : container[at as string];
    if (!isObject(next) && !Array.isArray(next)) return undefined;
    container = next;
  }
  return undefined;
}

/**
 * Removes the node of a path, then any map or list left empty by it unless `keep` says that
 * emptied node is owned in its own right.
 */
export function removePath(
  object: JsonObject,
  key: string,
  schema: Schema,
  keep: (key: string) => boolean,
): void {
  const found = locate(object, key, schema);
  if (!found) return;
  const remove = (container: JsonObject | JsonValue[], at: string | number): void => {
    if (Array.isArray(container)) container.splice(at as number, 1);
    else delete container[at as string];
  };
  remove(found.container, found.at);
  const elements = pathElements(key);
  let container = found.container;
  for (let depth = found.parents.length - 1; depth >= 0; depth -= 1) {
    const empty = Array.isArray(container) ? container.length === 0 : Object.keys(container).length === 0;
    if (!empty || keep(pathKey(elements.slice(0, depth + 1)))) return;
    const parent = found.parents[depth]!;
    remove(parent.container, parent.at);
    container = parent.container;
  }
}
