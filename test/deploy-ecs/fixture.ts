import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type CreateServiceCommandInput,
  type DeploymentConfiguration,
  type Service,
} from '@aws-sdk/client-ecs';
import { runActionBundle, type ActionRun, type RunOptions } from '../support/action-runner.ts';
import {
  startAwsEmulator,
  type AwsEmulator,
  type AwsEmulatorOptions,
} from '../support/aws-emulator/index.ts';

/**
 * One emulated account per test: cluster `prod`, log group `/ecs/web`, a Fargate family `web` at
 * revision 1 (image web:1) and, on request, service `web` of two tasks running it, settled. `deploy`
 * runs the bundle through the runner harness with a workspace holding `task-definition.json`.
 */

export const CLUSTER = 'prod';
export const NETWORK = {
  awsvpcConfiguration: {
    subnets: ['subnet-0a1b2c3d4e'],
    securityGroups: ['sg-0a1b2c3d4e'],
    assignPublicIp: 'DISABLED' as const,
  },
};

export function webDefinition(image: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    family: 'web',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'app',
        image,
        essential: true,
        environment: [{ name: 'MODE', value: 'production' }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': '/ecs/web',
            'awslogs-region': 'eu-west-1',
            'awslogs-stream-prefix': 'ecs',
          },
        },
      },
    ],
    ...extra,
  };
}

export class EcsFixture {
  readonly aws: AwsEmulator;
  readonly ecs: ECSClient;
  readonly workspace: string;

  private constructor(aws: AwsEmulator) {
    this.aws = aws;
    this.ecs = new ECSClient(aws.clientConfig());
    this.workspace = mkdtempSync(path.join(tmpdir(), 'deploy-ecs-'));
    this.writeDefinition(webDefinition('web:1'));
  }

  static async start(options: AwsEmulatorOptions = {}): Promise<EcsFixture> {
    const fixture = new EcsFixture(await startAwsEmulator(options));
    fixture.aws.ecs.addCluster(CLUSTER);
    fixture.aws.logs.addLogGroup('/ecs/web');
    return fixture;
  }

  async close(): Promise<void> {
    this.ecs.destroy();
    await this.aws.close();
  }

  writeDefinition(definition: Record<string, unknown>, file = 'task-definition.json'): void {
    writeFileSync(path.join(this.workspace, file), JSON.stringify(definition, null, 2));
  }

  async register(image: string, extra: Record<string, unknown> = {}): Promise<string> {
    const { taskDefinition } = await this.ecs.send(
      new RegisterTaskDefinitionCommand(webDefinition(image, extra) as never),
    );
    return taskDefinition!.taskDefinitionArn!;
  }

  /** Service `web` running web:1 (registered first), settled: its first deployment finished. */
  async createService(
    deploymentConfiguration: DeploymentConfiguration = {},
    extra: Partial<CreateServiceCommandInput> = {},
  ): Promise<Service> {
    const taskDefinition = await this.register('web:1');
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
    await this.settled();
    return service!;
  }

  /** Waits (on the emulator's own events, a few seconds at most) until no service deployment is in flight. */
  async settled(timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const { serviceDeployments } = await this.ecs.send(
        new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'web' }),
      );
      if ((serviceDeployments ?? []).every((deployment) => deployment.finishedAt !== undefined)) return;
      if (Date.now() > until)
        throw new Error(`service web did not settle: ${JSON.stringify(serviceDeployments)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async service(): Promise<Service> {
    const { services } = await this.ecs.send(
      new DescribeServicesCommand({ cluster: CLUSTER, services: ['web'] }),
    );
    return services![0]!;
  }

  async revisions(family = 'web'): Promise<string[]> {
    const { taskDefinitionArns } = await this.ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: family }),
    );
    return taskDefinitionArns ?? [];
  }

  env(): Record<string, string> {
    const config = this.aws.clientConfig();
    return {
      AWS_REGION: config.region,
      AWS_ENDPOINT_URL: config.endpoint,
      AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
      // The SDK's own retries would hide the faults the tests inject; the core's count is asserted.
      AWS_MAX_ATTEMPTS: '3',
    };
  }

  deploy(inputs: Record<string, string>, options: Partial<RunOptions> = {}): Promise<ActionRun> {
    return runActionBundle({
      action: 'deploy-ecs',
      cwd: this.workspace,
      inputs: { cluster: CLUSTER, 'poll-interval': '1s', ...inputs },
      env: this.env(),
      timeoutMs: 90_000,
      ...options,
    });
  }
}
