import type { Service } from '@aws-sdk/client-ecs';
import { createEcs, ecsCall, type Ecs } from '../../../../shared/src/ecs/client.ts';
import { rollBackService, type RollbackResult } from '../../../../shared/src/ecs/rollback.ts';
import { describeTaskDefinition } from '../../../../shared/src/ecs/task-definitions.ts';
import { ActionError, ReportedFailure } from '../../../../shared/src/errors.ts';
import { releasePayload } from '../../../../shared/src/github/deployment-payload.ts';
import { deploymentRecords } from '../../../../shared/src/github/deployment-records.ts';
import { readRunContext } from '../../../../shared/src/github/run-context.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import { setOutputs } from '../../../../shared/src/runner/outputs.ts';
import type { RollbackInputs } from '../inputs.ts';
import { rollbackOf, type RecordsContext } from '../records.ts';
import { chooseTaskDefinition } from './choose-target.ts';
import { ecsOutputs, ecsSummary, type EcsRollback } from './report.ts';
import { prepareCodeDeployRollback, type CodeDeployRollback } from './codedeploy-run.ts';
import { readServiceHistory, type ServiceHistory } from './service-history.ts';
import { shortName } from './task-definition-ref.ts';

/**
 * The ECS rollback: the service's current task definition and history -> the target (dry run
 * stops here) -> record -> a deployment in flight stopped with ROLLBACK, else the service updated
 * back, both waited for with deploy-ecs's tracker (`rollBackService` of the core) -> report. A
 * CODE_DEPLOY service refuses UpdateService: its history comes from its CodeDeploy deployment group
 * and the rollback goes through CodeDeploy (codedeploy-run.ts).
 */
export async function rollBackEcs(
  inputs: RollbackInputs,
  records: RecordsContext,
  { signal, startedAt }: { signal: AbortSignal; startedAt: number },
): Promise<void> {
  const recorded = records.source?.payload.ecs;
  const cluster = recorded?.cluster ?? inputs.ecs?.cluster;
  const serviceName = recorded?.service ?? inputs.ecs?.service;
  if (!cluster || !serviceName) throw new ActionError('ECS rollback needs a cluster and a service.');
  const ecs = await createEcs(inputs.ecs?.region);
  const service = await describeService(ecs, cluster, serviceName, signal);
  const codeDeploy =
    service.deploymentController?.type === 'CODE_DEPLOY'
      ? await prepareCodeDeployRollback(ecs, inputs, service, cluster, signal)
      : undefined;
  try {
    const history = codeDeploy ? undefined : await readServiceHistory(ecs, cluster, serviceName, signal);
    const current = codeDeploy?.current ?? (service.taskDefinition as string);
    const target = await chooseTaskDefinition(
      ecs,
      { cluster, service: serviceName, current },
      {
        ref: inputs.ecs?.toTaskDefinition,
        recorded: inputs.source.kind === 'from-deployment' ? recorded?.task_definition : undefined,
      },
      records,
      codeDeploy ?? (history as ServiceHistory),
      signal,
    );
    const rollback: EcsRollback = {
      cluster,
      service: serviceName,
      current,
      target: target.taskDefinition,
      imagesBefore: await imagesOf(ecs, current, signal),
      images: await imagesOf(ecs, target.taskDefinition, signal),
      inFlight: codeDeploy ? codeDeploy.inFlight : history?.inFlight?.serviceDeploymentArn,
      codeDeploy: codeDeploy?.where,
    };
    await rollBack(inputs, records, { ecs, codeDeploy, rollback, why: target.why }, { signal, startedAt });
  } finally {
    codeDeploy?.destroy();
  }
}

async function rollBack(
  inputs: RollbackInputs,
  records: RecordsContext,
  {
    ecs,
    codeDeploy,
    rollback,
    why,
  }: { ecs: Ecs; codeDeploy: CodeDeployRollback | undefined; rollback: EcsRollback; why: string },
  { signal, startedAt }: { signal: AbortSignal; startedAt: number },
): Promise<void> {
  const { cluster, service: serviceName, current, images } = rollback;
  const target = { taskDefinition: rollback.target, why };
  const stopping = rollback.inFlight
    ? codeDeploy
      ? `; CodeDeploy deployment ${rollback.inFlight} in flight is stopped with auto rollback`
      : `; deployment ${rollback.inFlight} in flight is stopped with ROLLBACK`
    : codeDeploy
      ? '; through a new CodeDeploy deployment'
      : '';
  const nothingToDo = current === target.taskDefinition && !rollback.inFlight;
  log.info(
    nothingToDo
      ? `Service ${serviceName} already runs ${shortName(current)}; nothing to do.`
      : `Service ${serviceName}: ${shortName(current)} -> ${shortName(target.taskDefinition)} (${target.why})${stopping}.`,
  );
  if (inputs.dryRun) {
    setOutputs(ecsOutputs(rollback, undefined));
    await ecsSummary({ rollback, dryRun: true, durationMs: Date.now() - startedAt }).write();
    return;
  }
  const replaced = rollbackOf(records);
  const record = await deploymentRecords(
    {
      enabled: records.recordable && !nothingToDo,
      token: inputs.token,
      environment: records.environment,
      environmentUrl: inputs.environmentUrl,
      transient: inputs.transientEnvironment,
      production: inputs.productionEnvironment,
    },
    { warning: (m) => log.warning(m), notice: (m) => log.notice(m), info: (m) => log.info(m), signal },
  ).start({
    ref:
      inputs.source.kind === 'from-deployment'
        ? records.source?.sha
        : records.listed.find((entry) => entry.payload?.ecs?.task_definition === target.taskDefinition)?.sha,
    description: `Rollback${replaced === undefined ? '' : ` of deployment ${replaced}`}: service ${serviceName} to ${shortName(target.taskDefinition)}`,
    payload: releasePayload({
      action: 'rollback',
      ecs: {
        cluster,
        service: serviceName,
        task_definition: target.taskDefinition,
        previous_task_definition: current,
      },
      images: Object.values(images),
      runUrl: readRunContext()?.runUrl,
      rollbackOf: replaced,
    }),
  });
  let failure: string | undefined;
  if (!nothingToDo) {
    const result = codeDeploy
      ? await codeDeploy.restore(
          rollback.target,
          async () => (await describeService(ecs, cluster, serviceName, signal)).taskDefinition as string,
        )
      : await restore(ecs, inputs, rollback, signal);
    rollback.how = result.how;
    rollback.tracked = result.tracked;
    if ('deploymentId' in result) rollback.codeDeployDeployment = result.deploymentId;
    if (inputs.wait && result.tracked?.verdict !== 'succeeded') {
      failure = `The rollback of service ${serviceName} did not finish: ${result.tracked?.verdict ?? 'not tracked'} (${result.tracked?.state ?? ''}${result.tracked?.reason ? `: ${result.tracked.reason}` : ''}).`;
      log.error(failure, { title: `Rollback of service ${serviceName} failed` });
    }
  }
  setOutputs(ecsOutputs(rollback, record.id));
  await record.finish(
    failure ? 'failure' : 'success',
    failure ?? `Restored service ${serviceName} to ${shortName(target.taskDefinition)}`,
  );
  await ecsSummary({
    rollback,
    dryRun: false,
    durationMs: Date.now() - startedAt,
    failure,
    deploymentId: record.id,
  }).write();
  if (failure) throw new ReportedFailure(failure);
}

/** Stop the deployment in flight with ROLLBACK; if that leaves the service elsewhere than the target, update it there. */
async function restore(
  ecs: Ecs,
  inputs: RollbackInputs,
  rollback: EcsRollback,
  signal: AbortSignal,
): Promise<RollbackResult> {
  const request = {
    cluster: rollback.cluster,
    service: rollback.service,
    previousTaskDefinition: rollback.target,
    pollIntervalMs: inputs.ecs?.pollIntervalMs ?? 5000,
    timeoutMs: inputs.timeoutMs,
    wait: inputs.wait,
    signal,
  };
  const first = await rollBackService(ecs, {
    ...request,
    serviceDeploymentArn: rollback.inFlight,
    inFlight: rollback.inFlight !== undefined,
  });
  const landedOn = first.tracked?.serviceTaskDefinition;
  if (first.how !== 'stop-with-rollback' || !inputs.wait || landedOn === rollback.target) return first;
  log.info(
    `ECS returned service ${rollback.service} to ${shortName(landedOn ?? 'unknown')}; updating it to ${shortName(rollback.target)}.`,
  );
  return rollBackService(ecs, { ...request, serviceDeploymentArn: undefined, inFlight: false });
}

async function describeService(
  ecs: Ecs,
  cluster: string,
  service: string,
  signal: AbortSignal,
): Promise<Service> {
  const { services = [] } = await ecsCall('DescribeServices', () =>
    ecs.client.send(new ecs.sdk.DescribeServicesCommand({ cluster, services: [service] }), {
      abortSignal: signal,
    }),
  );
  const found = services.find((entry) => entry.status !== 'INACTIVE');
  if (!found?.taskDefinition)
    throw new ActionError(`Cannot roll back service ${service}: it does not exist in cluster ${cluster}.`);
  return found;
}

async function imagesOf(
  ecs: Ecs,
  taskDefinition: string,
  signal: AbortSignal,
): Promise<Record<string, string>> {
  const described = await describeTaskDefinition(ecs, taskDefinition, signal);
  const containers = described?.taskDefinition.containerDefinitions;
  const images: Record<string, string> = {};
  if (Array.isArray(containers)) {
    for (const container of containers as { name?: unknown; image?: unknown }[]) {
      if (typeof container.name === 'string' && typeof container.image === 'string')
        images[container.name] = container.image;
    }
  }
  return images;
}
