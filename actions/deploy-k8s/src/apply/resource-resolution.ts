import { ConfigurationError } from '../../../../shared/src/errors.ts';
import { KubernetesApiError } from '../../../../shared/src/kubernetes/client/api-error.ts';
import type { KubernetesClient } from '../../../../shared/src/kubernetes/client/client.ts';
import { field, groupOf, isRecord, versionOf } from '../../../../shared/src/kubernetes/object.ts';
import {
  builtInResourceType,
  explainUnknownBuiltIn,
  isBuiltInGroup,
  type ResourceType,
} from '../../../../shared/src/kubernetes/resource-types.ts';
import type { Manifest } from '../manifests/manifest.ts';

/**
 * Which REST resource each object is, decided before anything changes: built-in kinds from the
 * table (so a typo fails at once, with nothing sent), custom resources from a
 * CustomResourceDefinition in the same manifests, and only the rest by asking the cluster
 * (discovery, read-only).
 */
export interface Resolution {
  types: Map<Manifest, ResourceType>;
  /** Custom resources whose definition is not in the manifests: discovery decides. */
  unresolved: Manifest[];
}

const INPUT = 'manifests';

export function resolveLocally(manifests: readonly Manifest[]): Resolution {
  const defined = manifests.flatMap((manifest) =>
    manifest.object.kind === 'CustomResourceDefinition' ? definitionTypes(manifest) : [],
  );
  const types = new Map<Manifest, ResourceType>();
  const unresolved: Manifest[] = [];
  for (const manifest of manifests) {
    const { apiVersion, kind } = manifest.object;
    const builtIn = builtInResourceType(apiVersion, kind);
    if (builtIn) {
      types.set(manifest, builtIn);
      continue;
    }
    if (isBuiltInGroup(apiVersion)) {
      throw new ConfigurationError(
        `Manifest ${manifest.source}: ${explainUnknownBuiltIn(apiVersion, kind)}.`,
        {
          input: INPUT,
        },
      );
    }
    const group = groupOf(apiVersion);
    const ofKind = defined.filter((type) => type.group === group && type.kind === kind);
    const exact = ofKind.find((type) => type.version === versionOf(apiVersion));
    if (exact) {
      types.set(manifest, exact);
    } else if (ofKind.length > 0) {
      throw new ConfigurationError(
        `Manifest ${manifest.source}: the CustomResourceDefinition of ${kind} in these manifests serves ${ofKind.map((type) => `${type.group}/${type.version}`).join(', ')}, not ${apiVersion}.`,
        { input: INPUT },
      );
    } else {
      unresolved.push(manifest);
    }
  }
  return { types, unresolved };
}

/** The resource types a CustomResourceDefinition (apiextensions.k8s.io/v1) declares, one per served version. */
function definitionTypes(manifest: Manifest): ResourceType[] {
  const spec = manifest.object.spec;
  const group = field(spec, 'group');
  const kind = field(spec, 'names', 'kind');
  const plural = field(spec, 'names', 'plural');
  const scope = field(spec, 'scope');
  const versions = field(spec, 'versions');
  const problem =
    typeof group !== 'string' || !group
      ? 'spec.group is missing'
      : typeof kind !== 'string' || !kind
        ? 'spec.names.kind is missing'
        : typeof plural !== 'string' || !plural
          ? 'spec.names.plural is missing'
          : scope !== 'Namespaced' && scope !== 'Cluster'
            ? 'spec.scope must be Namespaced or Cluster'
            : !Array.isArray(versions) || versions.length === 0
              ? 'spec.versions is empty'
              : undefined;
  if (problem) {
    throw new ConfigurationError(
      `Manifest ${manifest.source}: CustomResourceDefinition "${manifest.object.metadata.name}" is incomplete: ${problem}.`,
      { input: INPUT },
    );
  }
  return (versions as unknown[])
    .filter((version) => isRecord(version) && typeof version.name === 'string' && version.served !== false)
    .map((version) => ({
      group: group as string,
      version: (version as { name: string }).name,
      kind: kind as string,
      plural: plural as string,
      namespaced: scope === 'Namespaced',
    }));
}

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/** Asks the cluster about the kinds no manifest defines: one discovery call per group/version. */
export async function discoverTypes(
  client: KubernetesClient,
  manifests: readonly Manifest[],
  signal: AbortSignal,
): Promise<Map<Manifest, ResourceType>> {
  const lists = new Map<string, Promise<ApiResourceList | undefined>>();
  const types = new Map<Manifest, ResourceType>();
  for (const manifest of manifests) {
    const { apiVersion, kind } = manifest.object;
    let list = lists.get(apiVersion);
    if (!list) {
      list = client
        .requestJson<ApiResourceList>({ path: `/apis/${apiVersion}`, what: `discover ${apiVersion}`, signal })
        .catch((error: unknown) => {
          if (error instanceof KubernetesApiError && error.status === 404) return undefined;
          throw error;
        });
      lists.set(apiVersion, list);
    }
    const resources = (await list)?.resources;
    const resource = resources?.find((entry) => entry.kind === kind && !entry.name.includes('/'));
    if (!resource) {
      const name = manifest.object.metadata.name;
      throw new ConfigurationError(
        `Manifest ${manifest.source}: ${kind} "${name}" (${apiVersion}) is a kind the cluster does not know: it ${resources ? `serves no kind ${kind} in ${apiVersion}` : `does not serve ${apiVersion} at all`}, and no CustomResourceDefinition in the manifests defines ${kind}.`,
        {
          input: INPUT,
          hint: `install the CustomResourceDefinition of ${kind} first (its operator or chart), or add it to the manifests`,
        },
      );
    }
    types.set(manifest, {
      group: groupOf(apiVersion),
      version: versionOf(apiVersion),
      kind,
      plural: resource.name,
      namespaced: resource.namespaced,
    });
  }
  return types;
}
