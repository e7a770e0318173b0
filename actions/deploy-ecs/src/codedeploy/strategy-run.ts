import { ReportedFailure } from '../../../../shared/src/errors.ts';
import { releasePayload } from '../../../../shared/src/github/deployment-payload.ts';
import type { DeploymentRecord } from '../../../../shared/src/github/deployment-records.ts';
import { restoredReleaseCommit } from '../../../../shared/src/github/restored-commit.ts';
import { readRunContext } from '../../../../shared/src/github/run-context.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import { setOutputs } from '../../../../shared/src/runner/outputs.ts';
import { escapeInline, JobSummary } from '../../../../shared/src/runner/summary.ts';
import type { StrategyInputs } from './strategy-inputs.ts';
import { recorderFor, shortName, type ServiceRecords } from '../records.ts';
import { revisionOf, type DeployEcsOutputs } from '../report.ts';
import { runStrategy, type StrategyOutcome } from './strategy.ts';

/**
 * promote / abort, end to end: the strategy (strategy.ts), its deployment records, outputs and
 * summary. Records: a promote that moves production traffic records the release (in_progress
 * before ContinueDeployment, then success or failure), because the deploy that stopped at Ready did
 * not; an abort records a rollback only when production traffic had already moved to the new task
 * set (a promote with codedeploy-wait-until: ready, aborted in the termination wait): before that,
 * the recorded release never stopped serving. A promote or abort that finds its work done records
 * nothing.
 */
export async function promoteOrAbort(inputs: StrategyInputs, signal: AbortSignal): Promise<void> {
  const records = recorderFor(inputs, signal);
  let record: DeploymentRecord | undefined;
  const beforeChange = async (outcome: StrategyOutcome): Promise<void> => {
    if (inputs.action !== 'promote' || !records || !outcome.taskDefinitionArn) return;
    record = await records.recorder.start({
      description: `Promote ${shortName(outcome.taskDefinitionArn)} to ${inputs.service} (CodeDeploy ${outcome.deploymentId})`,
      payload: releasePayload({
        action: 'deploy-ecs',
        ecs: {
          cluster: inputs.cluster,
          service: inputs.service,
          task_definition: outcome.taskDefinitionArn,
          previous_task_definition: outcome.serviceBefore ?? null,
        },
        images: outcome.images,
        runUrl: readRunContext()?.runUrl,
      }),
    });
  };
  const outcome = await runStrategy(inputs, signal, beforeChange);
  await record?.finish(
    outcome.failure ? 'failure' : 'success',
    outcome.failure ?? `Promoted ${shortName(outcome.taskDefinitionArn ?? '')} on ${inputs.service}`,
  );
  if (inputs.action === 'abort' && outcome.acted && outcome.trafficHadMoved && !outcome.failure) {
    record = await recordAbort(records, inputs, outcome);
  }
  writeStrategyOutputs(inputs, outcome, record?.id);
  if (outcome.failure) log.error(outcome.failure);
  await strategySummary(inputs, outcome).write();
  if (outcome.failure) throw new ReportedFailure(outcome.failure);
}

async function recordAbort(
  records: ServiceRecords | undefined,
  inputs: StrategyInputs,
  outcome: StrategyOutcome,
): Promise<DeploymentRecord | undefined> {
  const restored = outcome.serviceAfter;
  if (!records || !restored) return undefined;
  const record = await records.recorder.start({
    ref: await restoredReleaseCommit(
      inputs.record,
      (listed) => listed.find((entry) => entry.payload?.ecs?.task_definition === restored),
      { info: (message) => log.info(message), signal: records.signal },
    ),
    description: `Abort of CodeDeploy ${outcome.deploymentId}: service ${inputs.service} back to ${shortName(restored)}`,
    payload: releasePayload({
      action: 'rollback',
      ecs: {
        cluster: inputs.cluster,
        service: inputs.service,
        task_definition: restored,
        previous_task_definition: outcome.taskDefinitionArn ?? null,
      },
      images: [],
      runUrl: readRunContext()?.runUrl,
    }),
  });
  await record.finish('success', `Restored service ${inputs.service} to ${shortName(restored)}`);
  return record;
}

function writeStrategyOutputs(
  inputs: StrategyInputs,
  outcome: StrategyOutcome,
  recordId: number | undefined,
): void {
  setOutputs<DeployEcsOutputs>({
    'task-definition-arn': outcome.taskDefinitionArn ?? '',
    'previous-task-definition-arn': outcome.serviceBefore ?? '',
    registered: false,
    deployed: false,
    'service-deployment-arn': '',
    'deployment-id': '',
    'rollout-state': outcome.status,
    'rolled-back': inputs.action === 'abort' && outcome.strategyState === 'aborted',
    'task-arn': '',
    'exit-code': '',
    'github-deployment-id': recordId === undefined ? '' : String(recordId),
    'codedeploy-deployment-id': outcome.deploymentId ?? '',
    'strategy-state': outcome.strategyState,
  });
}

function strategySummary(inputs: StrategyInputs, outcome: StrategyOutcome): JobSummary {
  const verb = inputs.action === 'promote' ? 'promote' : 'abort';
  const status = outcome.failure ? `${verb} failed` : outcome.acted ? `${verb}d` : `${verb}: nothing to do`;
  const summary = new JobSummary().heading(`deploy-ecs: ${status}`);
  summary.table(
    ['', ''],
    [
      ['cluster', inputs.cluster],
      ['service', inputs.service],
      ['CodeDeploy', `${outcome.target.application} / ${outcome.target.group}`],
      ['CodeDeploy deployment', outcome.deploymentId ?? '(none)'],
      ['status', outcome.status],
      ['strategy state', outcome.strategyState || '(none)'],
      ['new release', revisionOf(outcome.taskDefinitionArn) ?? '(unknown)'],
      ['service ran', revisionOf(outcome.serviceBefore) ?? '(unknown)'],
      ['service runs', revisionOf(outcome.serviceAfter) ?? '(unknown)'],
      ...(outcome.rollbackDeploymentId ? [['rollback deployment', outcome.rollbackDeploymentId]] : []),
      ...(outcome.events.length > 0 ? [['lifecycle events', outcome.events.join(' → ')]] : []),
    ],
  );
  if (outcome.failure) summary.paragraph(`**${escapeInline(outcome.failure)}**`);
  return summary;
}
