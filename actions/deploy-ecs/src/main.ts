import { createEcs, type Ecs } from '../../../shared/src/ecs/client.ts';
import { registerTaskDefinition } from '../../../shared/src/ecs/task-definitions.ts';
import { ActionError, CancelledError, errorMessage, ReportedFailure } from '../../../shared/src/errors.ts';
import * as log from '../../../shared/src/runner/log.ts';
import type { ActionContext } from '../../../shared/src/runner/run-action.ts';
import { deployWithCodeDeploy } from './codedeploy/deploy.ts';
import { readAction } from './codedeploy/inputs.ts';
import { promoteOrAbort } from './codedeploy/strategy-run.ts';
import { readStrategyInputs } from './codedeploy/strategy-inputs.ts';
import { readInputs, type DeployEcsInputs } from './inputs.ts';
import { planDeployment, type Plan } from './plan.ts';
import { recordServiceRollback, serviceRecords, shortName, startServiceRecord } from './records.ts';
import { annotate, buildSummary, failureMessage, writeOutputs, type Report } from './report.ts';
import { runTask } from './run-task/run.ts';
import { deployToService } from './service/deploy.ts';

/**
 * plan (checks, render, compare) -> (dry run stops here) -> register (only on change) -> run task
 * (run-task) -> record the deploy (in_progress) -> update the service and track our deployment (or,
 * for a CODE_DEPLOY service, create the CodeDeploy deployment and follow it) -> roll back -> the
 * record's success or failure (and the rollback's own) -> outputs and summary.
 * `action: promote | abort` moves a CodeDeploy deployment on or back instead (codedeploy/strategy.ts).
 */
export async function run({ signal }: ActionContext): Promise<void> {
  const action = readAction();
  if (action !== 'deploy') return promoteOrAbort(await readStrategyInputs(action), signal);
  const inputs = await readInputs();
  const ecs = await createEcs(inputs.region);
  let plan: Plan | undefined;
  try {
    plan = await planDeployment(ecs, inputs, signal);
    const report: Report = {
      inputs,
      plan,
      taskDefinitionArn: plan.reuse,
      registered: false,
      images: imagesOf(inputs),
      task: undefined,
      deployment: undefined,
      dryRun: inputs.dryRun,
      githubDeploymentId: undefined,
    };
    if (inputs.dryRun) {
      logDryRun(plan);
      return await finish(report);
    }
    report.taskDefinitionArn = await register(ecs, inputs, plan, signal);
    report.registered = plan.reuse === undefined;
    const records = serviceRecords(inputs, signal, plan.codeDeploy !== undefined);
    const record = await startServiceRecord(records, {
      taskDefinitionArn: report.taskDefinitionArn,
      previous: plan.currentTaskDefinition,
      images: report.images,
    });
    report.githubDeploymentId = record.id;
    try {
      await release(ecs, inputs, plan, report, signal);
    } catch (error) {
      if (!signal.aborted) await record.finish('failure', errorMessage(error));
      throw error;
    }
    const failure = failureMessage(report);
    await record.finish(
      failure ? 'failure' : 'success',
      failure ?? `Deployed ${shortName(report.taskDefinitionArn)} to ${inputs.service}`,
    );
    if (failure)
      await recordServiceRollback(records, ecs, record, report.deployment, report.taskDefinitionArn);
    await finish(report);
  } finally {
    plan?.codeDeploy?.client.destroy();
    ecs.client.destroy();
  }
}

/** The one-off task, then (only when it succeeded: it may be a migration) the service update. */
async function release(
  ecs: Ecs,
  inputs: DeployEcsInputs,
  plan: Plan,
  report: Report,
  signal: AbortSignal,
): Promise<void> {
  const taskDefinitionArn = report.taskDefinitionArn as string;
  if (inputs.runTask) {
    report.task = await runTask(
      ecs,
      inputs,
      inputs.runTask,
      taskDefinitionArn,
      plan.service,
      plan.taskNetwork,
      signal,
    );
    if (report.task.failure) return;
  }
  if (plan.codeDeploy) {
    report.deployment = await deployWithCodeDeploy(
      plan.codeDeploy.client,
      inputs,
      plan.codeDeploy.plan,
      plan.currentTaskDefinition,
      taskDefinitionArn,
      signal,
    );
  } else if (plan.service) {
    report.deployment = await deployToService(ecs, inputs, plan.service, taskDefinitionArn, signal);
  }
}

function imagesOf(inputs: DeployEcsInputs): string[] {
  return Object.values(inputs.render.images);
}

async function register(ecs: Ecs, inputs: DeployEcsInputs, plan: Plan, signal: AbortSignal): Promise<string> {
  if (plan.reuse) return plan.reuse;
  const rendered = plan.rendered as Record<string, unknown>;
  const registered = await registerTaskDefinition(ecs, rendered, inputs.tags, signal);
  const arn = registered.taskDefinitionArn;
  if (typeof arn !== 'string') throw new ActionError('RegisterTaskDefinition returned no taskDefinitionArn.');
  log.info(`Registered ${arn}.`);
  return arn;
}

function logDryRun(plan: Plan): void {
  log.info(
    plan.diff.length === 0
      ? 'Dry run: the task definition would not change.'
      : `Dry run: the task definition would change:\n${plan.diff.map((line) => `  ${line}`).join('\n')}`,
  );
  log.info(
    plan.reuse
      ? `Dry run: ${plan.reuse} would be reused.`
      : 'Dry run: a new revision would be registered. Nothing was changed.',
  );
  const codeDeploy = plan.codeDeploy?.plan;
  if (codeDeploy) {
    const { application, group } = codeDeploy.target;
    log.info(
      `Dry run: a CodeDeploy deployment of ${application}/${group} would be created with this AppSpec (TaskDefinition filled in):\n${JSON.stringify(codeDeploy.appSpec.document, null, 2)}`,
    );
  }
}

async function finish(report: Report): Promise<void> {
  writeOutputs(report);
  annotate(report);
  await buildSummary(report).write();
  const failure = failureMessage(report);
  if (report.deployment?.cancelled) throw new CancelledError(report.deployment.failure);
  if (failure) throw new ReportedFailure(failure.split('\n')[0] as string);
}
