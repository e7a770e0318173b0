/**
 * The resource types the simulator serves: what discovery lists and what the REST layer routes by.
 * Built-in types are fixed; a CustomResourceDefinition adds its type once established and removes
 * it when deleted, as the apiextensions server does.
 */

export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower case: the path segment (`deployments`). */
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Served subresources: `status`, `log`. */
  subresources: string[];
  /** Whether a change outside metadata and status bumps `metadata.generation`. */
  generation: boolean;
  /** Defined by a CustomResourceDefinition: no built-in schema, so every list is atomic. */
  custom: boolean;
  /** A deprecated version's `Warning`, sent with every request to it (a CRD version's `deprecated`). */
  deprecationWarning?: string;
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

type Definition = Partial<ResourceType> & Pick<ResourceType, 'group' | 'version' | 'resource' | 'kind'>;

function define(definition: Definition): ResourceType {
  return {
    singular: definition.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
    generation: false,
    custom: false,
    ...definition,
  };
}

const core = (resource: string, kind: string, extra: Partial<ResourceType> = {}): ResourceType =>
  define({ group: '', version: 'v1', resource, kind, ...extra });
const apps = (resource: string, kind: string, extra: Partial<ResourceType> = {}): ResourceType =>
  define({ group: 'apps', version: 'v1', resource, kind, ...extra });
const batch = (resource: string, kind: string, extra: Partial<ResourceType> = {}): ResourceType =>
  define({ group: 'batch', version: 'v1', resource, kind, ...extra });

const WORKLOAD = { generation: true, subresources: ['status'], categories: ['all'] };

export const BUILT_IN_TYPES: ResourceType[] = [
  core('namespaces', 'Namespace', {
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  core('nodes', 'Node', { namespaced: false, shortNames: ['no'], subresources: ['status'] }),
  core('pods', 'Pod', { shortNames: ['po'], subresources: ['status', 'log'], categories: ['all'] }),
  core('services', 'Service', {
    shortNames: ['svc'],
    subresources: ['status'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  core('configmaps', 'ConfigMap', { shortNames: ['cm'] }),
  core('secrets', 'Secret'),
  core('serviceaccounts', 'ServiceAccount', { shortNames: ['sa'] }),
  core('persistentvolumeclaims', 'PersistentVolumeClaim', { shortNames: ['pvc'], subresources: ['status'] }),
  core('events', 'Event', { shortNames: ['ev'] }),
  apps('deployments', 'Deployment', { shortNames: ['deploy'], ...WORKLOAD }),
  apps('replicasets', 'ReplicaSet', { shortNames: ['rs'], ...WORKLOAD }),
  apps('statefulsets', 'StatefulSet', { shortNames: ['sts'], ...WORKLOAD }),
  apps('daemonsets', 'DaemonSet', { shortNames: ['ds'], ...WORKLOAD }),
  apps('controllerrevisions', 'ControllerRevision'),
  batch('jobs', 'Job', WORKLOAD),
  batch('cronjobs', 'CronJob', { shortNames: ['cj'], ...WORKLOAD }),
  define({
    group: 'autoscaling',
    version: 'v2',
    resource: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    shortNames: ['hpa'],
    subresources: ['status'],
    categories: ['all'],
  }),
  define({
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'networkpolicies',
    kind: 'NetworkPolicy',
    shortNames: ['netpol'],
  }),
  define({
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'ingresses',
    kind: 'Ingress',
    shortNames: ['ing'],
    subresources: ['status'],
    generation: true,
  }),
  define({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: ['status'],
    generation: true,
  }),
];

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export class ResourceRegistry {
  private readonly types: ResourceType[] = [...BUILT_IN_TYPES];

  all(): readonly ResourceType[] {
    return this.types;
  }

  byPath(group: string, version: string, resource: string): ResourceType | undefined {
    return this.types.find(
      (type) => type.group === group && type.version === version && type.resource === resource,
    );
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    return this.types.find((type) => type.group === group && type.version === version && type.kind === kind);
  }

  /** Any served version of a group and kind (the storage key does not depend on the version). */
  byGroupKind(group: string, kind: string): ResourceType | undefined {
    return this.types.find((type) => type.group === group && type.kind === kind);
  }

  groupVersions(): { group: string; versions: string[] }[] {
    const groups = new Map<string, string[]>();
    for (const type of this.types) {
      const versions = groups.get(type.group) ?? [];
      if (!versions.includes(type.version)) versions.push(type.version);
      groups.set(type.group, versions);
    }
    return [...groups].map(([group, versions]) => ({ group, versions }));
  }

  /** Registers (or replaces) the types a CustomResourceDefinition serves. */
  addCustom(definitionName: string, types: ResourceType[]): void {
    this.removeCustom(definitionName);
    this.types.push(...types);
  }

  /** `<plural>.<group>` of every definition whose types are served. */
  customDefinitionNames(): string[] {
    const names = this.types.filter((type) => type.custom).map((type) => `${type.resource}.${type.group}`);
    return [...new Set(names)];
  }

  customTypes(definitionName: string): ResourceType[] {
    return this.types.filter((type) => type.custom && `${type.resource}.${type.group}` === definitionName);
  }

  removeCustom(definitionName: string): void {
    for (let index = this.types.length - 1; index >= 0; index -= 1) {
      const type = this.types[index]!;
      if (type.custom && `${type.resource}.${type.group}` === definitionName) this.types.splice(index, 1);
    }
  }
}
