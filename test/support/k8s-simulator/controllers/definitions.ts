import { ALL_VERBS, type ResourceRegistry, type ResourceType } from '../api/resources.ts';
import { arrayAt, deepEqual, isObject, objectAt, stringAt, type JsonObject } from '../store/json.ts';
import { timestamp } from '../store/time.ts';
import { DEFINITIONS, type ControllerContext } from './context.ts';
import { nameOf, namespaceOf, writeStatus } from './objects.ts';

/**
 * The apiextensions server's part: a CustomResourceDefinition's kind is served (and listed by
 * discovery) once the definition is established, a moment after it is created, with conditions
 * NamesAccepted and Established; deleting the definition stops serving it and deletes its objects.
 */

const MANAGER = 'kube-apiserver';

function typesOf(definition: JsonObject): ResourceType[] {
  const spec = objectAt(definition, 'spec') ?? {};
  const names = objectAt(spec, 'names') ?? {};
  const kind = String(names.kind);
  return arrayAt(spec, 'versions')
    .filter(isObject)
    .filter((version) => version.served !== false)
    .map((version) => ({
      group: String(spec.group),
      version: String(version.name),
      resource: String(names.plural),
      kind,
      singular: stringAt(names, 'singular') ?? kind.toLowerCase(),
      namespaced: spec.scope === 'Namespaced',
      shortNames: arrayAt(names, 'shortNames').map(String),
      categories: arrayAt(names, 'categories').map(String),
      verbs: ALL_VERBS,
      subresources: objectAt(version, 'subresources', 'status') ? ['status'] : [],
      generation: true,
      custom: true,
      // apiextensions-apiserver's default text when the version gives none of its own.
      ...(version.deprecated === true
        ? {
            deprecationWarning:
              stringAt(version, 'deprecationWarning') ??
              `${String(spec.group)}/${String(version.name)} ${kind} is deprecated`,
          }
        : {}),
    }));
}

function establishedStatus(definition: JsonObject, now: number): JsonObject {
  const old = arrayAt(definition, 'status', 'conditions').filter(isObject);
  const condition = (type: string, reason: string, message: string): JsonObject => ({
    type,
    status: 'True',
    lastTransitionTime: old.find((entry) => entry.type === type)?.lastTransitionTime ?? timestamp(now),
    reason,
    message,
  });
  const spec = objectAt(definition, 'spec') ?? {};
  const names = { ...(objectAt(spec, 'names') ?? {}) };
  names.singular ??= String(names.kind ?? '').toLowerCase();
  names.listKind ??= `${String(names.kind ?? '')}List`;
  const storage = arrayAt(spec, 'versions')
    .filter(isObject)
    .find((version) => version.storage === true);
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    acceptedNames: names,
    storedVersions: storage ? [String(storage.name)] : [],
  };
}

export function syncDefinitions(context: ControllerContext, registry: ResourceRegistry, now: number): void {
  const definitions = context.objects.list(DEFINITIONS);
  for (const definition of definitions) {
    const types = typesOf(definition);
    if (!deepEqual(registry.customTypes(nameOf(definition)), types)) {
      registry.addCustom(nameOf(definition), types);
    }
    writeStatus(context, DEFINITIONS, definition, establishedStatus(definition, now), MANAGER);
  }
  const present = new Set(definitions.map(nameOf));
  for (const name of registry.customDefinitionNames()) {
    if (present.has(name)) continue;
    const [type] = registry.customTypes(name);
    registry.removeCustom(name);
    if (!type) continue;
    for (const object of context.objects.store.list(type)) {
      context.objects.store.remove(type, namespaceOf(object), nameOf(object));
    }
  }
}
