import { formatDuration } from '../../../shared/src/formats/duration.ts';
import type { OneOffTaskResult } from '../../../shared/src/ecs/run-task.ts';
import * as log from '../../../shared/src/runner/log.ts';
import { setOutputs } from '../../../shared/src/runner/outputs.ts';
import { escapeInline, JobSummary } from '../../../shared/src/runner/summary.ts';
import type { DeployEcsInputs } from './inputs.ts';
import type { Plan } from './plan.ts';
import type { DeployOutcome } from './service/deploy.ts';

/**
 * The outputs, the annotation and the job summary, all from one Report: the service, old -> new
 * revision and image, the time to steady state, the events and stopped reasons seen, the rollback.
 */

export interface Report {
  inputs: DeployEcsInputs;
  plan: Plan;
  taskDefinitionArn: string | undefined;
  registered: boolean;
  images: string[];
  task: OneOffTaskResult | undefined;
  deployment: DeployOutcome | undefined;
  dryRun: boolean;
  /** GitHub's id of the deployment recording this deploy. */
  githubDeploymentId: number | undefined;
}

export interface DeployEcsOutputs {
  'task-definition-arn': string;
  'previous-task-definition-arn': string;
  registered: boolean;
  deployed: boolean;
  'service-deployment-arn': string;
  'deployment-id': string;
  'rollout-state': string;
  'rolled-back': boolean;
  'task-arn': string;
  'exit-code': number | string;
  'github-deployment-id': string;
  'codedeploy-deployment-id': string;
  'strategy-state': string;
}

export function writeOutputs(report: Report): void {
  const deployment = report.deployment;
  setOutputs<DeployEcsOutputs>({
    'task-definition-arn': report.taskDefinitionArn ?? '',
    'previous-task-definition-arn': report.plan.currentTaskDefinition ?? '',
    registered: report.registered,
    deployed: deployment?.deployed ?? false,
    'service-deployment-arn': deployment?.serviceDeploymentArn ?? '',
    'deployment-id': deployment?.deploymentId ?? '',
    'rollout-state': deployment?.rolloutState ?? '',
    'rolled-back': deployment?.rolledBack ?? false,
    'task-arn': report.task?.taskArn ?? '',
    'exit-code': report.task?.exitCode ?? '',
    'github-deployment-id': report.githubDeploymentId === undefined ? '' : String(report.githubDeploymentId),
    'codedeploy-deployment-id': deployment?.codedeploy?.deploymentId ?? '',
    'strategy-state': deployment?.codedeploy?.strategyState ?? '',
  });
}

/** The one error annotation of a failed step, with the stopped reasons: the first thing to read. */
export function failureMessage(report: Report): string | undefined {
  if (report.task?.failure) return `${report.task.failure} ${report.task.tail.describe()}`;
  const deployment = report.deployment;
  if (!deployment?.failure) return undefined;
  const reasons = [
    ...new Set(
      deployment.activity.stoppedTasks.map((task) => [task.stoppedReason, ...task.containers].join('; ')),
    ),
  ];
  const rollback =
    deployment.rollback === undefined
      ? ''
      : deployment.rollback.by === 'ecs'
        ? ` ECS rolled the service back to ${deployment.serviceTaskDefinition ?? 'the previous revision'}.`
        : deployment.rollback.by === 'codedeploy'
          ? ` CodeDeploy rollback: ${deployment.rollback.outcome}.`
          : ` Gantry rolled back (${deployment.rollback.how}): ${deployment.rollback.outcome}.`;
  return `${deployment.failure.replace(/\.$/, '')}.${reasons.length > 0 ? ` Stopped tasks: ${reasons.slice(0, 3).join(' | ')}.` : ''}${rollback}`;
}

export function annotate(report: Report): void {
  const message = failureMessage(report);
  if (message) log.error(message);
}

export function buildSummary(report: Report): JobSummary {
  const { inputs, plan, deployment } = report;
  const status = report.dryRun
    ? 'dry run'
    : failureMessage(report)
      ? deployment?.rolledBack
        ? 'failed, rolled back'
        : 'failed'
      : deployment?.codedeploy?.strategyState === 'pending'
        ? 'ready, waiting for promotion'
        : deployment?.deployed
          ? 'deployed'
          : inputs.service
            ? 'nothing to deploy'
            : 'done';
  const summary = new JobSummary().heading(`deploy-ecs: ${status}`);
  const rows: (string | number)[][] = [
    ['cluster', inputs.cluster],
    ...(inputs.service ? [['service', inputs.service]] : []),
    [
      'revision',
      `${revisionOf(plan.currentTaskDefinition) ?? '(none)'} → ${revisionOf(report.taskDefinitionArn) ?? '(none)'}`,
    ],
    [
      'task definition',
      report.registered
        ? 'registered (it changed)'
        : plan.reuse
          ? `reused ${plan.reuse} (unchanged)`
          : '(not registered)',
    ],
    ...(report.images.length > 0 ? [['image', report.images.join(', ')]] : []),
  ];
  if (deployment) {
    rows.push(['deployed', deployment.deployed ? 'yes' : 'no: the service already runs this revision']);
    if (deployment.deploymentId) rows.push(['deployment', deployment.deploymentId]);
    const codedeploy = deployment.codedeploy;
    if (codedeploy) {
      rows.push(['CodeDeploy', `${codedeploy.application} / ${codedeploy.group}`]);
      if (codedeploy.deploymentId) rows.push(['CodeDeploy deployment', codedeploy.deploymentId]);
      if (codedeploy.rollbackDeploymentId)
        rows.push(['rollback deployment', codedeploy.rollbackDeploymentId]);
    }
    if (deployment.rolloutState) rows.push(['rollout state', deployment.rolloutState]);
    if (deployment.deployed && inputs.wait)
      rows.push([
        deployment.failure ? 'time waited' : 'time to steady state',
        formatDuration(deployment.durationMs),
      ]);
    if (deployment.stages.length > 0)
      rows.push([
        deployment.codedeploy ? 'lifecycle events' : 'lifecycle stages',
        deployment.stages.join(' → '),
      ]);
    if (deployment.rollback) {
      rows.push([
        'rollback',
        deployment.rollback.by === 'ecs'
          ? `by ECS, to ${revisionOf(deployment.serviceTaskDefinition) ?? 'the previous revision'}`
          : deployment.rollback.by === 'codedeploy'
            ? `by CodeDeploy: ${deployment.rollback.outcome}`
            : `by Gantry (${deployment.rollback.how}): ${deployment.rollback.outcome}`,
      ]);
    }
    if (deployment.serviceTaskDefinition)
      rows.push(['service left on', revisionOf(deployment.serviceTaskDefinition) as string]);
  }
  if (report.task) {
    rows.push(['one-off task', report.task.taskArn], ['exit code', report.task.exitCode ?? '(none)']);
  }
  summary.table(['', ''], rows);
  const failure = failureMessage(report);
  if (failure) summary.paragraph(`**${escapeInline(failure)}**`);
  if (plan.diff.length > 0)
    summary.paragraph(`Task definition changes (${plan.diff.length}):`).code(plan.diff.join('\n'));
  if (deployment && deployment.activity.events.length > 0) {
    summary.paragraph('Service events:').code(deployment.activity.events.join('\n'));
  }
  if (deployment && deployment.activity.stoppedTasks.length > 0) {
    summary
      .paragraph('Stopped tasks:')
      .list(
        deployment.activity.stoppedTasks.map((task) =>
          escapeInline(
            `${task.taskArn.split('/').at(-1)}: ${[task.stoppedReason, ...task.containers].join('; ')}`,
          ),
        ),
      );
  }
  if (report.task && report.task.tail.count > 0) {
    summary
      .paragraph(`One-off task log (${report.task.tail.count} lines in all):`)
      .code(report.task.tail.text());
  }
  return summary;
}

/** `shop:7` from an ARN. */
export function revisionOf(arn: string | undefined): string | undefined {
  return arn?.split('/').at(-1);
}
