import { runOneOffTask } from '../../../../shared/src/ecs/run-task.ts';
import type { EcsTaskInputs } from './inputs.ts';
import type { RunResult } from './run-result.ts';

/** mode: ecs-task: the migration command as a one-off task of the core's ECS runner. */
export async function runEcsTask(inputs: EcsTaskInputs, signal: AbortSignal): Promise<RunResult> {
  const result = await runOneOffTask(
    {
      region: inputs.region,
      cluster: inputs.cluster,
      taskDefinition: inputs.taskDefinition,
      container: inputs.container,
      containerInput: 'container',
      launchType: inputs.launchType,
      network: inputs.network,
      command: inputs.command,
      timeoutMs: inputs.timeoutMs,
      pollIntervalMs: inputs.pollIntervalMs,
      startedBy: 'gantry-migrate',
      noun: 'Migration task',
      purpose: 'the migration',
      verdictOf: 'container',
    },
    signal,
  );
  return {
    mode: 'ecs-task',
    where: result.where,
    id: result.taskArn,
    command: inputs.command,
    exitCode: result.exitCode,
    failure: result.failure,
    tail: result.tail,
    durationMs: result.durationMs,
  };
}
