import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from '@jest/globals';
import { startKubernetesSimulator } from '../support/k8s-simulator/index.ts';
import { authorizationOf, type RbacAttributes } from '../support/k8s-simulator/rbac-attributes.ts';
import { tempDir } from '../shared/helpers.ts';
import { writeFiles } from '../deploy-k8s/helpers.ts';
import { NAMESPACE, RELEASE_FILES } from './release.ts';
import {
  describeCheck,
  grantsFor,
  readGrants,
  ROLE_DIR,
  ROLE_FILES,
  scopeOf,
  type Grant,
} from './role-rules.ts';
import { NOT_GRANTED_SCENARIOS, SCENARIOS, type RoleScenario } from './scenarios.ts';

/**
 * deploy/kubernetes/ grants exactly what Gantry uses: every request the Kubernetes simulator saw
 * while deploy-k8s, rollback and migrate ran their scenarios is granted by the Role or the
 * ClusterRole, and every grant in them was needed by at least one request.
 */

interface Seen {
  check: RbacAttributes;
  scenario: string;
}

async function runScenarios(scenarios: RoleScenario[]): Promise<{ seen: Seen[]; nonResource: Set<string> }> {
  const seen: Seen[] = [];
  const nonResource = new Set<string>();
  for (const scenario of scenarios) {
    const simulator = await startKubernetesSimulator({
      readyDelayMs: 20,
      jobDurationMs: 80,
      backOffMs: 50,
      gatewayApi: scenario.gatewayApi ?? false,
    });
    simulator.objects.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    const workspace = tempDir('gantry-role-');
    try {
      writeFiles(workspace.path, RELEASE_FILES);
      for (const step of scenario.steps) {
        const run = await step.run(simulator, workspace.path);
        if (run && run.outcome !== step.expect)
          throw new Error(
            `${scenario.name}: ${step.title} ended ${run.outcome}, not ${step.expect}:\n${run.log}`,
          );
      }
    } finally {
      await simulator.close();
      workspace.remove();
    }
    for (const request of simulator.requests) {
      const authorization = authorizationOf(request);
      if (!authorization.resourceRequest) nonResource.add(`${authorization.verb} ${authorization.path}`);
      else for (const check of authorization.checks) seen.push({ check, scenario: scenario.name });
    }
  }
  return { seen, nonResource };
}

describe("Gantry's Kubernetes Role and ClusterRole", () => {
  it('are bound to the gantry-deployer ServiceAccount they define', () => {
    const objects = ROLE_FILES.flatMap((file) =>
      parseAllDocuments(readFileSync(join(ROLE_DIR, file), 'utf8')).map(
        (document) =>
          document.toJS() as {
            kind: string;
            metadata: { name: string; namespace?: string };
            roleRef?: { kind: string; name: string };
            subjects?: { kind: string; name: string; namespace?: string }[];
          },
      ),
    );
    const named = (kind: string): string[] =>
      objects.filter((object) => object.kind === kind).map((object) => object.metadata.name);
    expect(named('ServiceAccount')).toEqual(['gantry-deployer']);
    const account = objects.find((object) => object.kind === 'ServiceAccount');
    const bindings = objects.filter((object) => object.kind.endsWith('Binding'));
    expect(bindings.map((binding) => binding.kind).sort()).toEqual(['ClusterRoleBinding', 'RoleBinding']);
    for (const binding of bindings) {
      const roleKind = binding.kind === 'RoleBinding' ? 'Role' : 'ClusterRole';
      expect(binding.roleRef).toMatchObject({ kind: roleKind });
      expect(named(roleKind)).toContain(binding.roleRef?.name);
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'gantry-deployer', namespace: account?.metadata.namespace },
      ]);
    }
    const role = objects.find((object) => object.kind === 'Role');
    expect(role?.metadata.namespace).toBe(account?.metadata.namespace);
  });

  it('grant every request of the scenarios, and nothing they did not use', async () => {
    const grants = readGrants();
    const { seen, nonResource } = await runScenarios(SCENARIOS);

    // Each request no rule grants, once, with the first scenario that made it.
    const ungranted = new Map<string, string>();
    for (const { check, scenario } of seen)
      if (grantsFor(grants, check).length === 0 && !ungranted.has(describeCheck(check)))
        ungranted.set(describeCheck(check), scenario);
    expect([...ungranted].map(([check, scenario]) => `${check} in "${scenario}"`).sort()).toEqual([]);

    const used = new Set<Grant>(seen.flatMap(({ check }) => grantsFor(grants, check)));
    const unused = grants
      .filter((grant) => !used.has(grant))
      .map((grant) => `${grant.apiGroup || '""'} ${grant.resource} ${grant.verb} (${grant.source})`);
    expect(unused).toEqual([]);

    // Discovery only, which every authenticated user may do (the default system:discovery role).
    for (const request of nonResource)
      expect(request).toMatch(/^get \/(api|apis)(\/[^/]+){0,2}$|^get \/version$/);
    // The scenarios reached both scopes, so both files are proven.
    expect(new Set(seen.map(({ check }) => scopeOf(check)))).toEqual(new Set(['namespace', 'cluster']));
  }, 120_000);

  it('leave out what a release that ships a CustomResourceDefinition needs, which the README names', async () => {
    const grants = readGrants();
    const { seen } = await runScenarios(NOT_GRANTED_SCENARIOS);
    const ungranted = new Set(
      seen
        .filter(({ check }) => grantsFor(grants, check).length === 0)
        .map(({ check }) => describeCheck(check)),
    );
    // The README's rule for CRDs (watch too: the wait for Established watches when the list does
    // not show it yet), and the custom resource itself, one of the release's own kinds.
    const crd = (verb: string): string => `apiextensions.k8s.io customresourcedefinitions ${verb} (cluster)`;
    const documented = [
      ...['get', 'list', 'watch', 'create', 'patch'].map(crd),
      ...['get', 'create', 'patch'].map((verb) => `example.com widgets ${verb} (namespace)`),
    ];
    expect([...ungranted].filter((check) => !documented.includes(check))).toEqual([]);
    expect([...ungranted]).toEqual(expect.arrayContaining([crd('create'), crd('patch'), crd('list')]));
  }, 60_000);
});
