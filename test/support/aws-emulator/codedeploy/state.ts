import { randomBytes, randomUUID } from 'node:crypto';
import { parse } from 'yaml';
import type { SimulatedClock } from '../core/clock.ts';
import type { JsonObject } from '../core/protocol.ts';
import type { EcsState } from '../ecs/state.ts';
import { stepDeployment, type LifecycleContext } from './lifecycle.ts';
import {
  ECS_LIFECYCLE_EVENTS,
  type CodeDeployApplication,
  type CodeDeployDeployment,
  type CodeDeployGroup,
} from './model.ts';
import { ApplicationRevisions } from './revisions.ts';

/**
 * Everything the CodeDeploy emulator holds, how simulated time moves its deployments (one lifecycle
 * step per tick, computed when someone looks, like ECS), and how tests seed and steer it.
 */

export interface CodeDeployOptions {
  /** The length of one lifecycle step; default 20 ms. */
  tickMs?: number;
}

export interface GroupSettings {
  cluster: string;
  service: string;
  deploymentConfigName?: string;
  /** Minutes the deployment waits in `Ready` for ContinueDeployment; absent: traffic is rerouted at once. */
  readyWaitMinutes?: number;
  terminationWaitMinutes?: number;
  /** Default true. */
  autoRollback?: boolean;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export class CodeDeployState {
  readonly tickMs: number;
  readonly applications = new Map<string, CodeDeployApplication>();
  /** By `<application>/<group>`. */
  readonly groups = new Map<string, CodeDeployGroup>();
  /** By id, in creation order. */
  readonly deployments = new Map<string, CodeDeployDeployment>();
  /** The applications' revisions (AppSpecContent), registered by the deployments that use them. */
  readonly revisions = new ApplicationRevisions();
  readonly ecs: EcsState;
  private readonly clock: SimulatedClock;
  private readonly hooks = new Map<string, 'Succeeded' | 'Failed'>();
  private readonly context: LifecycleContext;

  constructor(clock: SimulatedClock, ecs: EcsState, options: CodeDeployOptions = {}) {
    this.clock = clock;
    this.ecs = ecs;
    this.tickMs = options.tickMs ?? 20;
    this.context = {
      tickMs: this.tickMs,
      hookResult: (name) => this.hooks.get(name) ?? 'Succeeded',
      startRollback: (deployment, at) => this.startRollback(deployment, at),
    };
    clock.follow(() => this.settle());
  }

  /** Seeds an ECS application (CreateApplication with computePlatform ECS). */
  addApplication(name: string): CodeDeployApplication {
    const application = { id: randomUUID(), name, createdAt: this.clock.now() };
    this.applications.set(name, application);
    return application;
  }

  /** Seeds a blue/green deployment group of one ECS service (CreateDeploymentGroup). */
  addDeploymentGroup(application: string, name: string, settings: GroupSettings): CodeDeployGroup {
    const app = this.applications.get(application) ?? this.addApplication(application);
    const group: CodeDeployGroup = {
      id: randomUUID(),
      application: app,
      name,
      cluster: settings.cluster,
      service: settings.service,
      deploymentConfigName: settings.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce',
      readyOption:
        settings.readyWaitMinutes === undefined
          ? { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 }
          : { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: settings.readyWaitMinutes },
      terminationWaitTimeInMinutes: settings.terminationWaitMinutes ?? 0,
      autoRollback: settings.autoRollback ?? true,
      createdAt: this.clock.now(),
    };
    this.groups.set(`${application}/${name}`, group);
    return group;
  }

  /** What the Lambda hook `functionName` answers from now on (PutLifecycleEventHookExecutionStatus). */
  hookResult(functionName: string, result: 'Succeeded' | 'Failed'): void {
    this.hooks.set(functionName, result);
  }

  /** A deployment by id, brought up to the current time. */
  deployment(id: string): CodeDeployDeployment | undefined {
    this.clock.catchUp();
    return this.deployments.get(id);
  }

  group(application: string, name: string): CodeDeployGroup | undefined {
    return this.groups.get(`${application}/${name}`);
  }

  now(): number {
    return this.clock.now();
  }

  newId(): string {
    return `d-${Array.from(randomBytes(9), (byte) => ID_CHARS[byte % ID_CHARS.length]).join('')}`;
  }

  /** Runs every step due by now, in time order across deployments. */
  settle(): void {
    const now = this.clock.now();
    for (;;) {
      let next: CodeDeployDeployment | undefined;
      for (const deployment of this.deployments.values()) {
        const at = deployment.nextStepAt;
        if (at !== undefined && at <= now && (next === undefined || at < (next.nextStepAt as number)))
          next = deployment;
      }
      if (!next) return;
      const at = next.nextStepAt as number;
      next.nextStepAt = undefined;
      stepDeployment(next, at, this.context);
    }
  }

  get lifecycle(): LifecycleContext {
    return this.context;
  }

  private startRollback(undone: CodeDeployDeployment, at: number): void {
    const rollback: CodeDeployDeployment = {
      ...undone,
      id: this.newId(),
      status: 'Created',
      creator: 'codeDeployRollback',
      // A rollback deploys the blue task definition again.
      revision: blueRevision(undone),
      appSpec: { ...undone.appSpec, taskDefinition: undone.blue.arn, hooks: {} },
      green: undone.blue,
      events: ECS_LIFECYCLE_EVENTS.map((name) => ({ name, status: 'Pending' })),
      production: 0,
      test: 0,
      waiting: undefined,
      waitUntil: undefined,
      instanceTerminationWaitTimeStarted: false,
      nextStepAt: at + this.tickMs,
      errorInformation: undefined,
      rollbackInfo: {
        rollbackTriggeringDeploymentId: undone.id,
        rollbackMessage: `Automatic rollback triggered by deployment ${undone.id}.`,
      },
      rollbackOf: undone,
      createdAt: at,
      startedAt: undefined,
      completedAt: undefined,
    };
    undone.rollbackInfo = {
      rollbackDeploymentId: rollback.id,
      rollbackMessage: `Deployment ${undone.id} was rolled back by deployment ${rollback.id}.`,
    };
    this.deployments.set(rollback.id, rollback);
    this.revisions.use(rollback, at);
  }
}

/** The revision a rollback deploys: the undone deployment's AppSpec on the blue task definition, without hooks. */
function blueRevision(undone: CodeDeployDeployment): JsonObject {
  const content = (undone.revision.appSpecContent as JsonObject).content as string;
  const document = parse(content) as {
    Resources: { TargetService: { Properties: JsonObject } }[];
    Hooks?: unknown;
  };
  document.Resources[0]!.TargetService.Properties.TaskDefinition = undone.blue.arn;
  delete document.Hooks;
  return { revisionType: 'AppSpecContent', appSpecContent: { content: JSON.stringify(document) } };
}
