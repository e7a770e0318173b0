import type { JsonObject } from '../core/protocol.ts';

/**
 * What the ECS emulator holds: clusters with their services, task definitions by family and
 * revision, and tasks. Times are epoch milliseconds of the emulator's clock (the wire carries epoch
 * seconds). ARNs use the region of the request that created the resource.
 */

export interface EcsCluster {
  name: string;
  arn: string;
  tags: JsonObject[];
  settings: JsonObject[];
  services: Map<string, EcsService>;
}

/** One container of a task definition, as much of it as the emulator acts on. */
export interface ContainerSpec {
  name: string;
  image: string;
  essential: boolean;
  cpu: number;
  memory?: number;
  command?: string[];
  /** It has a `healthCheck`: its health is HEALTHY or UNHEALTHY rather than UNKNOWN. */
  healthCheck: boolean;
  /** The `awslogs` driver's options, when the container logs to CloudWatch Logs. */
  awslogs?: Record<string, string>;
}

export interface EcsTaskDefinition {
  family: string;
  revision: number;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  registeredAt: number;
  registeredBy: string;
  deregisteredAt?: number;
  /** The registered fields with ECS's defaults filled in, echoed by DescribeTaskDefinition. */
  body: JsonObject;
  containers: ContainerSpec[];
  networkMode: string;
  compatibilities: string[];
  tags: JsonObject[];
}

export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEPROVISIONING' | 'STOPPED';

export type StopCode =
  'EssentialContainerExited' | 'TaskFailedToStart' | 'UserInitiated' | 'ServiceSchedulerInitiated';

export interface EcsContainer {
  spec: ContainerSpec;
  arn: string;
  /** Docker's container id: also the awslogs stream name when there is no stream prefix. */
  runtimeId: string;
  /** The command it runs: the override's, else the definition's. */
  command?: string[];
  exitCode?: number;
  reason?: string;
}

/** How a task will behave, decided when it is launched (from `taskBehaviour` rules). */
export interface TaskPlan {
  /** The container whose exit ends the task and whose output is `logLines`. */
  actor: number;
  exitCode: number;
  /** How long it runs once RUNNING; Infinity for a service task no rule matches (a server). */
  runMs: number;
  logLines: string[];
  failToStart?: string;
  /** Its container health check fails once it runs: a service's scheduler replaces it. */
  failHealthCheck?: boolean;
  /** How long it stays PENDING; default: one tick. */
  startMs?: number;
  /** RunTask answers with this failure instead of starting it. */
  placementFailure?: string;
}

export interface EcsTask {
  id: string;
  arn: string;
  cluster: EcsCluster;
  taskDefinition: EcsTaskDefinition;
  region: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  launchType: string;
  group: string;
  startedBy?: string;
  overrides: JsonObject;
  networkConfiguration?: JsonObject;
  tags: JsonObject[];
  containers: EcsContainer[];
  plan: TaskPlan;
  /** How many of `plan.logLines` have been written. */
  linesWritten: number;
  /** Where each container's awslogs output goes, once the driver has created its stream. */
  logStreams: Map<string, { group: string; stream: string }>;
  privateIp: string;
  version: number;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: StopCode;
  stoppedReason?: string;
  /** Set for tasks a service started. */
  service?: EcsService;
  deployment?: EcsDeployment;
  /** The scheduler has counted this task's end (as a failure or not). */
  endCounted?: boolean;
  /** The scheduler has counted this task as healthy (running through the steady period). */
  healthCounted?: boolean;
  /** Its essential containers' health: HEALTHY or UNHEALTHY once a health check has run. */
  healthStatus: 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';
}

export interface CircuitBreaker {
  enable: boolean;
  rollback: boolean;
  resetOnHealthyTask?: boolean;
  thresholdConfiguration?: { type: string; value: number };
}

export type DeploymentStrategy = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

export interface DeploymentSettings {
  maximumPercent: number;
  minimumHealthyPercent: number;
  circuitBreaker: CircuitBreaker;
  strategy: DeploymentStrategy;
  /** BLUE_GREEN, LINEAR and CANARY: how long both revisions run after the production traffic shift. */
  bakeTimeInMinutes?: number;
  linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: number };
  canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number };
  /** Kept and echoed: the emulator has no CloudWatch alarms to watch. */
  alarms?: JsonObject;
}

export interface EcsDeployment {
  id: string;
  /** The service revision it runs: its own, or for a rollback the revision it returns to. */
  revisionArn: string;
  /** This deployment returns the service to an earlier revision: its failure is not rolled back again. */
  isRollback?: boolean;
  /** After repeated task failures the scheduler launches its tasks no earlier than this. */
  throttledUntil?: number;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: EcsTaskDefinition;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  /** Failures since a task last turned healthy: what the circuit breaker counts by default. */
  consecutiveFailures: number;
  launchType: string;
  platformVersion?: string;
  networkConfiguration?: JsonObject;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  createdAt: number;
  updatedAt: number;
}

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export type LifecycleStage =
  | 'RECONCILE_SERVICE'
  | 'PRE_SCALE_UP'
  | 'SCALE_UP'
  | 'POST_SCALE_UP'
  | 'TEST_TRAFFIC_SHIFT'
  | 'POST_TEST_TRAFFIC_SHIFT'
  | 'PRODUCTION_TRAFFIC_SHIFT'
  | 'POST_PRODUCTION_TRAFFIC_SHIFT'
  | 'BAKE_TIME'
  | 'CLEAN_UP';

/**
 * A service deployment (ListServiceDeployments, DescribeServiceDeployments): the record of one
 * change of the service from its source revisions to a target revision, whatever the strategy.
 */
export interface ServiceDeployment {
  id: string;
  arn: string;
  service: EcsService;
  /** The ECS deployment (in the service's `deployments`) that runs the target revision. */
  target: EcsDeployment;
  /** The deployments running when it was created: their revisions are the source revisions. */
  sources: EcsDeployment[];
  /** The deployment configuration when it was created. */
  settings: DeploymentSettings;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  /** BLUE_GREEN, LINEAR and CANARY only. */
  lifecycleStage?: LifecycleStage;
  stageStartedAt: number;
  /** The end of a timed wait (bake time, a traffic step's bake): nothing happens before it. */
  waitUntil?: number;
  /** Share of production traffic on the target revision, in percent (traffic-shifting strategies). */
  productionTraffic: number;
  testTraffic: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedAt?: number;
  updatedAt: number;
  rollback?: { reason: string; startedAt: number; to: EcsDeployment };
  /** The circuit breaker has tripped on this deployment. */
  breakerTriggered?: boolean;
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface EcsService {
  name: string;
  arn: string;
  cluster: EcsCluster;
  region: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  launchType: string;
  platformVersion?: string;
  networkConfiguration?: JsonObject;
  deployment: DeploymentSettings;
  /** The PRIMARY deployment first. */
  deployments: EcsDeployment[];
  /** The newest first, at most 100, as DescribeServices returns them. */
  events: ServiceEvent[];
  /** What a rollback returns to. */
  lastCompleted?: EcsDeployment;
  /** Every service deployment, the newest first (see service-deployment.ts). */
  serviceDeployments: ServiceDeployment[];
  deploymentController: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';
  createdAt: number;
  tags: JsonObject[];
  /** Fields the emulator keeps and echoes without acting on them (load balancers, grace period...). */
  echoed: JsonObject;
}

function partitionOf(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.includes('-gov-') ? 'aws-us-gov' : 'aws';
}

export function ecsArn(region: string, accountId: string, resource: string): string {
  return `arn:${partitionOf(region)}:ecs:${region}:${accountId}:${resource}`;
}

/** The last path segment of an ARN, or the reference itself when it is a bare name or id. */
export function lastSegment(reference: string): string {
  return reference.startsWith('arn:') ? reference.slice(reference.lastIndexOf('/') + 1) : reference;
}
