import type { JsonObject } from '../store/json.ts';
import { apiVersionOf, type ResourceRegistry } from './resources.ts';

/**
 * Discovery documents (`/api`, `/api/v1`, `/apis`, `/apis/<group>[/<version>]`, `/version`): what
 * KubernetesObjectApi reads to map a kind to its plural and scope before any call.
 */

const SERVER_VERSION = { major: '1', minor: '33', gitVersion: 'v1.33.1' };

export function versionDocument(): JsonObject {
  return {
    ...SERVER_VERSION,
    gitCommit: '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828',
    gitTreeState: 'clean',
    buildDate: '2025-05-15T08:19:08Z',
    goVersion: 'go1.24.2',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function coreVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDocument(name: string, versions: string[]): JsonObject {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0]! };
}

export function groupList(registry: ResourceRegistry): JsonObject {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groupVersions()
      .filter(({ group }) => group !== '')
      .map(({ group, versions }) => groupDocument(group, versions)),
  };
}

export function group(registry: ResourceRegistry, name: string): JsonObject | undefined {
  const found = registry.groupVersions().find((entry) => entry.group === name && name !== '');
  return found ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(name, found.versions) } : undefined;
}

/** The APIResourceList of one group version, or undefined when nothing is served there. */
export function resourceList(
  registry: ResourceRegistry,
  groupName: string,
  version: string,
): JsonObject | undefined {
  const types = registry.all().filter((type) => type.group === groupName && type.version === version);
  if (types.length === 0) return undefined;
  const resources: JsonObject[] = [];
  for (const type of types) {
    const entry: JsonObject = {
      name: type.resource,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: type.verbs,
    };
    if (type.shortNames.length > 0) entry.shortNames = type.shortNames;
    if (type.categories.length > 0) entry.categories = type.categories;
    resources.push(entry);
    for (const subresource of type.subresources) {
      resources.push({
        name: `${type.resource}/${subresource}`,
        singularName: '',
        namespaced: type.namespaced,
        kind: type.kind,
        verbs: subresource === 'log' ? ['get'] : ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group: groupName, version }),
    resources,
  };
}
