import {
  createKubernetesClient,
  type KubernetesClient,
} from '../../../shared/src/kubernetes/client/client.ts';
import * as log from '../../../shared/src/runner/log.ts';
import type { ActionContext } from '../../../shared/src/runner/run-action.ts';
import { ApiWarnings } from './apply/api-warnings.ts';
import { deploy } from './deploy.ts';
import { dryRun } from './apply/dry-run.ts';
import { readInputs, type DeployInputs } from './inputs.ts';
import { deployRecords } from './records.ts';
import { pendingCanaryDeployments, pendingReleases, supersededStrategy } from './pending-release.ts';
import { findPlaceholders, placeholderWarning } from './manifests/placeholders.ts';
import { planObjects, type PlannedObject } from './apply/plan.ts';
import { discoverTypes } from './apply/resource-resolution.ts';

/**
 * plan -> (dry run stops here) -> validate (server-side dry run of the whole release) -> apply ->
 * wait -> diagnose -> roll back -> outputs and summary. The phases after the plan are in deploy.ts;
 * with strategy canary or blue-green, strategies/ runs them for the objects it renders.
 */
export async function run({ signal }: ActionContext): Promise<void> {
  const inputs = await readInputs();
  logImages(inputs);
  warnPlaceholders(inputs);
  const started = Date.now();
  const client = await createKubernetesClient(inputs.cluster, {
    onRetry: (message) => log.info(`Retrying: ${message}`),
  });
  try {
    const plan = await completePlan(client, inputs, signal);
    log.info(
      `${describeStep(inputs)} ${plan.length} object(s) to context ${client.context} (${client.server}).`,
    );
    const warnings = new ApiWarnings();
    if (inputs.dryRun) await dryRun(client, plan, inputs, signal, warnings);
    else {
      const records = deployRecords(inputs.record, { context: client.context, signal });
      const context = { client, plan, inputs, signal, started, warnings, records };
      const { strategy } = inputs;
      if (strategy.strategy === 'rolling') {
        await deploy(context, {
          beforeWrites: async (live) => {
            const pending = pendingReleases(live);
            // A replica-based canary shows on none of the planned objects: one list per namespace.
            if (!pending.some((release) => release.strategy === 'canary'))
              pending.push(...(await pendingCanaryDeployments(client, plan, signal)));
            const superseded = supersededStrategy(pending, strategy.supersede);
            if (!superseded) return false;
            const { runStrategy } = await import('./strategies/run-strategy.ts');
            await runStrategy(context, { ...strategy, strategy: superseded, action: 'abort' }, undefined);
            return true;
          },
        });
      } else {
        // Loaded only for a strategy, with the analysis engine it brings: a rolling deploy starts as before.
        const { runStrategy } = await import('./strategies/run-strategy.ts');
        await runStrategy(context, { ...strategy, strategy: strategy.strategy }, inputs.analysis);
      }
    }
  } finally {
    const { total, byVerb } = client.calls;
    const verbs = Object.entries(byVerb).map(([verb, count]) => `${count} ${verb}`);
    log.info(`Kubernetes API calls: ${total}${verbs.length ? ` (${verbs.join(', ')})` : ''}.`);
    await client.close();
  }
}

/** Custom resources whose CRD is not in the manifests are looked up (read-only) before anything changes. */
async function completePlan(
  client: KubernetesClient,
  inputs: DeployInputs,
  signal: AbortSignal,
): Promise<PlannedObject[]> {
  const types = new Map(inputs.resolution.types);
  for (const [manifest, type] of await discoverTypes(client, inputs.resolution.unresolved, signal)) {
    types.set(manifest, type);
  }
  return planObjects(inputs.manifests, types, inputs.namespace);
}

function describeStep(inputs: DeployInputs): string {
  if (inputs.dryRun) return 'Dry run of';
  const { strategy, action } = inputs.strategy;
  return strategy === 'rolling' ? 'Deploying' : `${strategy}, ${action}: the manifests hold`;
}

function logImages(inputs: DeployInputs): void {
  for (const change of inputs.imageChanges) {
    log.info(
      `${change.manifest.object.kind} ${change.manifest.object.metadata.name}, container ${change.container}: ${change.from} -> ${change.to}`,
    );
  }
  for (const image of inputs.images) {
    if (!inputs.imageChanges.some((change) => change.to === image.reference)) {
      log.warning(
        `images: ${image.reference} matches no container in the manifests (repository ${image.repository}).`,
        {
          title: 'Image not used',
        },
      );
    }
  }
}

function warnPlaceholders(inputs: DeployInputs): void {
  for (const finding of findPlaceholders(inputs.manifests)) {
    log.warning(placeholderWarning(finding), { title: 'Unsubstituted placeholder' });
  }
}
