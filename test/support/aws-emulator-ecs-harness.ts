import {
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type DeploymentConfiguration,
  type Service,
  type ServiceDeployment,
  type Task,
} from '@aws-sdk/client-ecs';
import { startAwsEmulator, type AwsEmulator, type AwsEmulatorOptions } from './aws-emulator/index.ts';

/**
 * What the ECS service-deployment tests share: an emulator with cluster `main` and log group
 * `/ecs/web`, a Fargate family `web`, a service `web` of two tasks, and stepping the paused clock
 * one scheduler pass (tick) at a time while watching a service deployment.
 */

export const CLUSTER = 'main';
export const TICK_MS = 20;
const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] },
};

export const finished = (deployment: ServiceDeployment): boolean => deployment.finishedAt !== undefined;

export class EcsServiceHarness {
  readonly emulator: AwsEmulator;
  readonly ecs: ECSClient;

  private constructor(emulator: AwsEmulator) {
    this.emulator = emulator;
    this.ecs = new ECSClient(emulator.clientConfig());
  }

  static async start(options: AwsEmulatorOptions = {}): Promise<EcsServiceHarness> {
    const harness = new EcsServiceHarness(await startAwsEmulator(options));
    harness.emulator.ecs.addCluster(CLUSTER);
    harness.emulator.logs.addLogGroup('/ecs/web');
    return harness;
  }

  async close(): Promise<void> {
    this.ecs.destroy();
    await this.emulator.close();
  }

  async register(image: string, extra: { healthCheck?: boolean } = {}): Promise<string> {
    const { taskDefinition } = await this.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          {
            name: 'app',
            image,
            ...(extra.healthCheck && {
              healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/ || exit 1'] },
            }),
            logConfiguration: {
              logDriver: 'awslogs',
              options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' },
            },
          },
        ],
      }),
    );
    return taskDefinition!.taskDefinitionArn!;
  }

  async createService(
    taskDefinition: string,
    deploymentConfiguration: DeploymentConfiguration = {},
    extra: Partial<CreateServiceCommandInput> = {},
  ): Promise<Service> {
    const { service } = await this.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'web',
        taskDefinition,
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        deploymentConfiguration,
        ...extra,
      }),
    );
    return service!;
  }

  async update(taskDefinition: string): Promise<Service> {
    const { service } = await this.ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', taskDefinition }),
    );
    return service!;
  }

  async latestDeploymentArn(): Promise<string> {
    const { serviceDeployments } = await this.ecs.send(
      new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'web' }),
    );
    return serviceDeployments![0]!.serviceDeploymentArn!;
  }

  async describeDeployment(arn: string): Promise<ServiceDeployment> {
    const { serviceDeployments } = await this.ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
    );
    return serviceDeployments![0]!;
  }

  async describeService(): Promise<Service> {
    const { services } = await this.ecs.send(
      new DescribeServicesCommand({ cluster: CLUSTER, services: ['web'] }),
    );
    return services![0]!;
  }

  async serviceTasks(desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
    const { taskArns } = await this.ecs.send(
      new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web', desiredStatus }),
    );
    if (taskArns!.length === 0) return [];
    const { tasks } = await this.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns }));
    return tasks!;
  }

  /**
   * Steps the paused clock one tick at a time until the deployment's state satisfies `done`,
   * recording every status and lifecycle stage seen on the way (`IN_PROGRESS SCALE_UP`).
   */
  async stepUntil(
    arn: string,
    done: (deployment: ServiceDeployment) => boolean,
    seen: string[] = [],
    maxTicks = 400,
  ): Promise<ServiceDeployment> {
    for (let tick = 0; ; tick += 1) {
      const deployment = await this.describeDeployment(arn);
      const state = [deployment.status, deployment.lifecycleStage].filter(Boolean).join(' ');
      if (seen.at(-1) !== state) seen.push(state);
      if (done(deployment)) return deployment;
      if (tick === maxTicks) throw new Error(`after ${maxTicks} ticks: ${JSON.stringify(deployment)}`);
      this.emulator.clock.advance(TICK_MS);
    }
  }
}
