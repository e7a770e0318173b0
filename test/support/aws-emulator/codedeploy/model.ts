import type { EcsService, EcsTaskDefinition } from '../ecs/model.ts';
import type { JsonObject } from '../core/protocol.ts';

/**
 * What the CodeDeploy emulator holds: ECS applications, their blue/green deployment groups (one ECS
 * service each) and the deployments made to them. Times are epoch milliseconds of the emulator's
 * clock (the wire carries epoch seconds).
 */

export interface CodeDeployApplication {
  id: string;
  name: string;
  createdAt: number;
}

export interface CodeDeployGroup {
  id: string;
  application: CodeDeployApplication;
  name: string;
  cluster: string;
  service: string;
  deploymentConfigName: string;
  /**
   * STOP_DEPLOYMENT: after AfterAllowTestTraffic the deployment is `Ready` (test traffic on green)
   * until ContinueDeployment (READY_WAIT), and `Stopped` when `waitTimeInMinutes` passes first.
   */
  readyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT'; waitTimeInMinutes: number };
  /** Minutes the blue task set keeps running after the traffic shift (ContinueDeployment TERMINATION_WAIT ends it). */
  terminationWaitTimeInMinutes: number;
  /** Roll back on DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_REQUEST. */
  autoRollback: boolean;
  createdAt: number;
}

/** The ECS deployment's lifecycle events, in CodeDeploy's order. */
export const ECS_LIFECYCLE_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;

export type LifecycleEventName = (typeof ECS_LIFECYCLE_EVENTS)[number];

/** The events an AppSpec may hook a Lambda function to. */
export const HOOKABLE_EVENTS: readonly LifecycleEventName[] = [
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
];

export type EventStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped';

export interface LifecycleEvent {
  name: LifecycleEventName;
  status: EventStatus;
  startedAt?: number;
  endedAt?: number;
  diagnostics?: { errorCode: string; scriptName: string; message: string; logTail: string };
}

export type DeploymentStatus =
  'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Succeeded' | 'Failed' | 'Stopped' | 'Ready';

/** What the emulator reads from an ECS AppSpec. */
export interface EcsAppSpec {
  taskDefinition: string;
  containerName: string;
  containerPort: number;
  hooks: Partial<Record<LifecycleEventName, string>>;
}

export interface CodeDeployDeployment {
  id: string;
  group: CodeDeployGroup;
  status: DeploymentStatus;
  creator: 'user' | 'codeDeployRollback';
  description?: string;
  deploymentConfigName: string;
  /** The revision exactly as sent. */
  revision: JsonObject;
  appSpec: EcsAppSpec;
  service: EcsService;
  blue: EcsTaskDefinition;
  green: EcsTaskDefinition | undefined;
  events: LifecycleEvent[];
  /** Share of production and test traffic on the green task set, in percent. */
  production: number;
  test: number;
  /** What it waits for (status Ready, or the blue task set's termination wait), and until when. */
  waiting?: 'READY_WAIT' | 'TERMINATION_WAIT';
  waitUntil?: number;
  instanceTerminationWaitTimeStarted: boolean;
  /** The next step of its simulation; undefined once it ended. */
  nextStepAt: number | undefined;
  errorInformation?: { code: string; message: string };
  rollbackInfo?: JsonObject;
  /** For a rollback deployment: the one it undoes. */
  rollbackOf?: CodeDeployDeployment;
  createdAt: number;
  startedAt?: number;
  completedAt?: number;
}

export function isActive(deployment: CodeDeployDeployment): boolean {
  return ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'].includes(deployment.status);
}
