import { registrable, type TaskDefinitionJson } from '../../../../shared/src/ecs/task-definitions.ts';

/**
 * A task definition in a canonical form, so that a rendered definition and a registered revision
 * compare equal when ECS would run them the same: read-only fields dropped, keys sorted, empty
 * lists and maps and null values dropped, ECS's defaults filled in (a container is essential, cpu
 * 0, a port mapping's protocol tcp and its host port the container port in awsvpc mode), and the
 * name/value lists (environment, secrets) sorted by name since their order means nothing.
 */

export function canonicalTaskDefinition(definition: TaskDefinitionJson): unknown {
  const copy = registrable(definition);
  const networkMode = typeof copy.networkMode === 'string' ? copy.networkMode : 'bridge';
  copy.networkMode = networkMode;
  if (Array.isArray(copy.containerDefinitions)) {
    copy.containerDefinitions = copy.containerDefinitions.map((container: Record<string, unknown>) =>
      canonicalContainer(container, networkMode),
    );
  }
  // Task sizes are strings on the wire, but a file may say 256 or "256".
  for (const size of ['cpu', 'memory'] as const)
    if (typeof copy[size] === 'number') copy[size] = String(copy[size]);
  return normalise(copy);
}

export function sameTaskDefinition(a: TaskDefinitionJson, b: TaskDefinitionJson): boolean {
  return JSON.stringify(canonicalTaskDefinition(a)) === JSON.stringify(canonicalTaskDefinition(b));
}

/** The fields that differ, as `path: old -> new` lines, for dry-run and the summary. */
export function diffTaskDefinitions(
  live: TaskDefinitionJson | undefined,
  rendered: TaskDefinitionJson,
): string[] {
  const before = flatten(live ? canonicalTaskDefinition(live) : {});
  const after = flatten(canonicalTaskDefinition(rendered));
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths
    .filter((path) => before.get(path) !== after.get(path))
    .map((path) => `${path}: ${before.get(path) ?? '(none)'} -> ${after.get(path) ?? '(none)'}`);
}

function canonicalContainer(
  container: Record<string, unknown>,
  networkMode: string,
): Record<string, unknown> {
  const copy: Record<string, unknown> = { essential: true, cpu: 0, ...container };
  if (Array.isArray(copy.portMappings)) {
    copy.portMappings = copy.portMappings.map((mapping: Record<string, unknown>) => ({
      protocol: 'tcp',
      hostPort: networkMode === 'awsvpc' ? mapping.containerPort : 0,
      ...mapping,
    }));
  }
  for (const list of ['environment', 'secrets'] as const) {
    if (Array.isArray(copy[list])) {
      copy[list] = [...(copy[list] as { name: string }[])].sort((x, y) =>
        x.name < y.name ? -1 : x.name > y.name ? 1 : 0,
      );
    }
  }
  return copy;
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalise).filter((item) => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => [key, normalise((value as Record<string, unknown>)[key])] as const)
      .filter(([, entry]) => entry !== undefined);
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value === null ? undefined : value;
}

function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    // Containers by name, so a diff says which container changed rather than an index.
    value.forEach((item, index) => {
      const name =
        typeof item === 'object' &&
        item !== null &&
        typeof (item as { name?: unknown }).name === 'string' &&
        prefix.endsWith('containerDefinitions')
          ? (item as { name: string }).name
          : String(index);
      flatten(item, `${prefix}[${name}]`, out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, entry] of Object.entries(value)) flatten(entry, prefix ? `${prefix}.${key}` : key, out);
  } else if (value !== undefined) {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}
