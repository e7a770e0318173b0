import type { JsonValue } from '../store/json.ts';

/**
 * How server-side apply and strategic merge patch treat each list and map, from the built-in
 * types' OpenAPI markers (x-kubernetes-list-type, x-kubernetes-list-map-keys, map-type atomic).
 * A field is known by its name path from the object root, list items skipped
 * (`spec.template.spec.containers.ports`). Custom resources have no schema here: every list is
 * atomic, which is the CRD default.
 */

export type ListSemantics =
  { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: string[]; defaults: Record<string, JsonValue> };

const ATOMIC: ListSemantics = { type: 'atomic' };
const SET: ListSemantics = { type: 'set' };

function byKeys(keys: string[], defaults: Record<string, JsonValue> = {}): ListSemantics {
  return { type: 'map', keys, defaults };
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Lists keyed the same way wherever they appear in a built-in type. */
const LISTS_BY_NAME: Record<string, ListSemantics> = {
  containers: byKeys(['name']),
  initContainers: byKeys(['name']),
  ephemeralContainers: byKeys(['name']),
  volumes: byKeys(['name']),
  imagePullSecrets: byKeys(['name']),
  hostAliases: byKeys(['ip']),
  topologySpreadConstraints: byKeys(['topologyKey', 'whenUnsatisfiable']),
  resourceClaims: byKeys(['name']),
  schedulingGates: byKeys(['name']),
  conditions: byKeys(['type']),
  ownerReferences: byKeys(['uid']),
  finalizers: SET,
};

/** Lists inside a container. */
const CONTAINER_FIELDS: Record<string, ListSemantics> = {
  ports: byKeys(['containerPort', 'protocol'], { protocol: 'TCP' }),
  env: byKeys(['name']),
  volumeMounts: byKeys(['mountPath']),
  volumeDevices: byKeys(['devicePath']),
  resizePolicy: byKeys(['resourceName']),
};

export function listSemantics(kind: string, custom: boolean, names: readonly string[]): ListSemantics {
  if (custom) return names[0] === 'metadata' ? metadataList(names) : ATOMIC;
  const name = names.at(-1) ?? '';
  const parent = names.at(-2) ?? '';
  if (CONTAINER_LISTS.has(parent) && Object.hasOwn(CONTAINER_FIELDS, name)) return CONTAINER_FIELDS[name]!;
  if (kind === 'Service' && names.length === 2 && names[0] === 'spec' && name === 'ports') {
    return byKeys(['port', 'protocol'], { protocol: 'TCP' });
  }
  if (names[0] === 'metadata') return metadataList(names);
  return Object.hasOwn(LISTS_BY_NAME, name) ? LISTS_BY_NAME[name]! : ATOMIC;
}

function metadataList(names: readonly string[]): ListSemantics {
  if (names.length !== 2) return ATOMIC;
  if (names[1] === 'ownerReferences') return byKeys(['uid']);
  if (names[1] === 'finalizers') return SET;
  return ATOMIC;
}

/**
 * Maps replaced as a whole rather than merged key by key: label selectors are
 * `+structType=atomic`, and so is a Service's selector map.
 */
export function isAtomicMap(custom: boolean, names: readonly string[]): boolean {
  if (custom && names[0] !== 'metadata') return false;
  const name = names.at(-1);
  return name === 'selector' || name === 'labelSelector' || name === 'namespaceSelector';
}
