import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { RbacAttributes } from '../support/k8s-simulator/rbac-attributes.ts';

/**
 * The rules of deploy/kubernetes/*.yaml, flattened to one (scope, apiGroup, resource, verb) per
 * grant, and RBAC's matching of a request against them. Gantry's manifests name every group,
 * resource and verb: a `*` is refused here, since it would grant what no scenario proves.
 */
export type Scope = 'namespace' | 'cluster';

export interface Grant {
  scope: Scope;
  apiGroup: string;
  /** `resource` or `resource/subresource`, as RBAC rules name them. */
  resource: string;
  verb: string;
  /** The rule's place, for messages: `gantry-role.yaml Role/gantry-deployer rule 3`. */
  source: string;
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export const ROLE_DIR = join(import.meta.dirname, '..', '..', 'deploy', 'kubernetes');
export const ROLE_FILES = ['gantry-role.yaml', 'gantry-cluster-role.yaml'];

export function readGrants(): Grant[] {
  const grants: Grant[] = [];
  for (const file of ROLE_FILES) {
    for (const document of parseAllDocuments(readFileSync(join(ROLE_DIR, file), 'utf8'))) {
      const object = document.toJS() as { kind?: string; metadata?: { name?: string }; rules?: PolicyRule[] };
      if (object.kind !== 'Role' && object.kind !== 'ClusterRole') continue;
      const scope: Scope = object.kind === 'Role' ? 'namespace' : 'cluster';
      (object.rules ?? []).forEach((rule, index) => {
        const source = `${file} ${object.kind}/${object.metadata?.name} rule ${index + 1}`;
        if (rule.resourceNames || rule.nonResourceURLs)
          throw new Error(`${source}: resourceNames and nonResourceURLs are not used by Gantry's roles`);
        for (const apiGroup of rule.apiGroups ?? [])
          for (const resource of rule.resources ?? [])
            for (const verb of rule.verbs ?? []) {
              if ([apiGroup, resource, verb].includes('*'))
                throw new Error(`${source}: a wildcard grants too much`);
              grants.push({ scope, apiGroup, resource, verb, source });
            }
      });
    }
  }
  return grants;
}

/** How a request is named in rules and messages: `apps deployments/scale patch`. */
export function describeCheck(check: RbacAttributes): string {
  const resource = check.subresource ? `${check.resource}/${check.subresource}` : check.resource;
  return `${check.apiGroup || '""'} ${resource} ${check.verb} (${scopeOf(check)})`;
}

/**
 * Where a request must be granted. A RoleBinding grants only inside its namespace; a request
 * without one (a cluster-scoped resource, or a list across namespaces) needs a ClusterRole.
 * Namespaces are objects of the cluster: RBAC would let a Role in `shop` read namespace `shop`, but
 * creating one is a cluster request, so Gantry grants them in the ClusterRole only.
 */
export function scopeOf(check: RbacAttributes): Scope {
  return check.namespace === '' || check.resource === 'namespaces' ? 'cluster' : 'namespace';
}

/** The grants that allow the request: RBAC's match of group, resource (with subresource) and verb. */
export function grantsFor(grants: Grant[], check: RbacAttributes): Grant[] {
  const resource = check.subresource ? `${check.resource}/${check.subresource}` : check.resource;
  const scope = scopeOf(check);
  return grants.filter(
    (grant) =>
      grant.apiGroup === check.apiGroup &&
      grant.resource === resource &&
      grant.verb === check.verb &&
      // A ClusterRole's rules hold in every namespace too; a Role's only in its own.
      (grant.scope === 'cluster' || scope === 'namespace'),
  );
}
