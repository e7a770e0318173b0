import type { Service } from '@aws-sdk/client-ecs';
import type { Ecs } from '../../../shared/src/ecs/client.ts';
import type { TaskNetwork } from '../../../shared/src/ecs/run-task.ts';
import {
  describeTaskDefinition,
  type DescribedTaskDefinition,
  type TaskDefinitionJson,
} from '../../../shared/src/ecs/task-definitions.ts';
import { ActionError, ConfigurationError } from '../../../shared/src/errors.ts';
import * as log from '../../../shared/src/runner/log.ts';
import { planCodeDeploy, type PlannedCodeDeploy } from './codedeploy/plan.ts';
import type { DeployEcsInputs } from './inputs.ts';
import { diffTaskDefinitions, sameTaskDefinition } from './render/canonical.ts';
import { renderTaskDefinition } from './render/render.ts';
import { runTaskNetwork } from './run-task/run.ts';
import { checkCluster, checkService, primaryDeployment } from './service/target.ts';

/**
 * The plan, made with reads only: the cluster and service checked, the definition rendered and
 * compared with the family's latest ACTIVE revision (identical: that revision is reused) and
 * diffed against what the service runs. Nothing is registered or changed before it is complete.
 */

export interface Plan {
  service: Service | undefined;
  /** What the service runs now. */
  currentTaskDefinition: string | undefined;
  /** The rendered definition; undefined for task-definition-arn (deployed as is). */
  rendered: TaskDefinitionJson | undefined;
  /** An existing revision to deploy: the given ARN, or the latest one when identical to the rendered. */
  reuse: string | undefined;
  /** `path: old -> new` against the live definition. */
  diff: string[];
  taskNetwork: TaskNetwork | undefined;
  /** A CODE_DEPLOY service's CodeDeploy client and target; undefined for an ECS one. */
  codeDeploy: PlannedCodeDeploy | undefined;
}

export async function planDeployment(ecs: Ecs, inputs: DeployEcsInputs, signal: AbortSignal): Promise<Plan> {
  await checkCluster(ecs, inputs.cluster, signal);
  const service =
    inputs.service === undefined
      ? undefined
      : await checkService(ecs, inputs.cluster, inputs.service, signal);
  const currentTaskDefinition = service ? primaryDeployment(service).taskDefinition : undefined;
  const taskNetwork = inputs.runTask ? runTaskNetwork(inputs.runTask, service) : undefined;
  const live = currentTaskDefinition
    ? await describeTaskDefinition(ecs, currentTaskDefinition, signal)
    : undefined;
  if (inputs.source.kind === 'arn') {
    const given = await describeTaskDefinition(ecs, inputs.source.reference, signal);
    if (!given) {
      throw new ActionError(
        `Task definition ${inputs.source.reference} (input "task-definition-arn") does not exist.`,
      );
    }
    const arn = given.taskDefinition.taskDefinitionArn as string;
    return {
      service,
      currentTaskDefinition,
      rendered: undefined,
      reuse: arn,
      diff: diffTaskDefinitions(live?.taskDefinition, given.taskDefinition),
      taskNetwork,
      codeDeploy: await planCodeDeploy(inputs, service, containerNames(given.taskDefinition), signal),
    };
  }
  const source =
    inputs.source.kind === 'file' ? inputs.source.definition : sourceFromService(live, currentTaskDefinition);
  const result = renderTaskDefinition(source, inputs.render);
  if ('problem' in result)
    throw new ConfigurationError(result.problem.message, { input: result.problem.input });
  const rendered = result.definition;
  const latest = await describeTaskDefinition(ecs, String(rendered.family), signal);
  const reuse =
    latest &&
    latest.taskDefinition.status !== 'INACTIVE' &&
    sameTaskDefinition(rendered, latest.taskDefinition)
      ? (latest.taskDefinition.taskDefinitionArn as string)
      : undefined;
  if (reuse)
    log.info(`The rendered task definition is identical to ${reuse}: reusing it, nothing is registered.`);
  return {
    service,
    currentTaskDefinition,
    rendered,
    reuse,
    diff: diffTaskDefinitions(live?.taskDefinition ?? latest?.taskDefinition, rendered),
    taskNetwork,
    codeDeploy: await planCodeDeploy(inputs, service, containerNames(rendered), signal),
  };
}

function containerNames(definition: TaskDefinitionJson): string[] {
  const containers = definition.containerDefinitions;
  return Array.isArray(containers)
    ? containers.flatMap((container: unknown) => {
        const name = (container as { name?: unknown }).name;
        return typeof name === 'string' ? [name] : [];
      })
    : [];
}

function sourceFromService(
  live: DescribedTaskDefinition | undefined,
  arn: string | undefined,
): TaskDefinitionJson {
  if (!live) throw new ActionError(`The service's task definition ${arn ?? '(none)'} cannot be described.`);
  return live.taskDefinition;
}
