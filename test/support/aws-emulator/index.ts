import { SimulatedClock } from './core/clock.ts';
import { codeDeployService } from './codedeploy/operations.ts';
import { CodeDeployState, type CodeDeployOptions } from './codedeploy/state.ts';
import { ecrService } from './ecr/operations.ts';
import { EcrState, type EcrOptions } from './ecr/state.ts';
import { ecsService } from './ecs/operations.ts';
import { EcsState, type EcsOptions } from './ecs/state.ts';
import { FaultQueue, type Faults } from './core/faults.ts';
import { logsService } from './logs/operations.ts';
import { LogsState } from './logs/state.ts';
import { startAwsServer, type AwsCall } from './core/server.ts';

/**
 * An AWS emulator for tests: the real JSON protocol over HTTP on 127.0.0.1, reached by the real SDK
 * clients through an endpoint override (`endpoint` option, or `AWS_ENDPOINT_URL_ECR`,
 * `AWS_ENDPOINT_URL_ECS`, `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`, `AWS_ENDPOINT_URL_CODEDEPLOY` for a spawned
 * action). One per test: ECR, ECS, CloudWatch Logs and CodeDeploy, one account (ECR's `accountId`), one simulated clock.
 */

export type { AwsCall } from './core/server.ts';
export type { FaultSpec, Faults } from './core/faults.ts';
export type { EcrImage, EcrOptions, EcrRepository, EcrState, RepositorySettings } from './ecr/state.ts';
export type { SimulatedClock } from './core/clock.ts';
export type { TaskBehaviour, TaskMatcher } from './ecs/tasks/behaviour.ts';
export type {
  EcsCluster,
  EcsDeployment,
  EcsService,
  EcsTask,
  EcsTaskDefinition,
  LifecycleStage,
  ServiceDeployment,
  ServiceDeploymentStatus,
} from './ecs/model.ts';
export { essentialContainerExit, healthCheckFailure, imagePullFailure } from './ecs/tasks/failures.ts';
export type { EcsOptions, EcsState } from './ecs/state.ts';
export type { CodeDeployOptions, CodeDeployState, GroupSettings } from './codedeploy/state.ts';
export type { CodeDeployDeployment, CodeDeployGroup } from './codedeploy/model.ts';
export type { LogEvent, LogGroup, LogStream, LogsState } from './logs/state.ts';

export interface AwsEmulatorOptions {
  ecr?: EcrOptions;
  ecs?: EcsOptions;
  codedeploy?: CodeDeployOptions;
}

export interface AwsEmulator {
  /** `http://127.0.0.1:<port>`: the endpoint of every emulated service. */
  endpoint: string;
  /** Every call received, in order, including those answered by a fault. */
  calls: AwsCall[];
  ecr: EcrState;
  /** ECS's clusters, task definitions, services and tasks; `taskBehaviour` says what tasks do. */
  ecs: EcsState;
  /** CloudWatch Logs' groups and streams, including what ECS tasks wrote through awslogs. */
  logs: LogsState;
  /** CodeDeploy's ECS applications, blue/green deployment groups and deployments; `hookResult` programs a hook. */
  codedeploy: CodeDeployState;
  /** The time ECS and CloudWatch Logs live by: the wall clock until a test pauses or advances it. */
  clock: SimulatedClock;
  faults: Faults;
  /**
   * Options for any SDK v3 client to reach the emulator: its endpoint, a region and static test
   * credentials (the emulator accepts any; the SDK only needs something to sign with).
   */
  clientConfig(): EmulatorClientConfig;
  /** The calls of one operation (`GetAuthorizationToken`). */
  callsTo(operation: string): AwsCall[];
  close(): Promise<void>;
}

export interface EmulatorClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

const EMULATOR_REGION = 'eu-west-1';

export async function startAwsEmulator(options: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const ecr = new EcrState(options.ecr);
  const clock = new SimulatedClock();
  const logs = new LogsState(clock, ecr.accountId);
  const ecs = new EcsState(clock, logs, ecr.accountId, options.ecs);
  const codedeploy = new CodeDeployState(clock, ecs, options.codedeploy);
  const faults = new FaultQueue();
  const calls: AwsCall[] = [];
  const service = await startAwsServer(
    [
      ecrService(ecr),
      ecsService(ecs, clock),
      logsService(logs, clock),
      codeDeployService(codedeploy, clock, ecr.accountId),
    ],
    faults,
    calls,
    ecr.accountId,
  );
  return {
    endpoint: service.origin,
    calls,
    ecr,
    ecs,
    logs,
    codedeploy,
    clock,
    faults,
    clientConfig: () => ({
      endpoint: service.origin,
      region: EMULATOR_REGION,
      credentials: { accessKeyId: 'AKIAEMULATOR0000TEST', secretAccessKey: 'emulator-secret-access-key' },
    }),
    callsTo: (operation) => calls.filter((call) => call.operation === operation),
    close: () => service.close(),
  };
}
