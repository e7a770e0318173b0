import { afterEach, describe, expect, it } from '@jest/globals';
import { runActionBundle } from '../../support/action-runner.ts';
import { startAwsEmulator, type AwsEmulator } from '../../support/aws-emulator/index.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from '../../support/k8s-simulator/index.ts';
import { expectNoSecretLeaks } from '../../support/leak-check.ts';

/** The in-cluster modes through the committed bundle, as the runner runs it. */

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function simulator(): Promise<KubernetesSimulator> {
  const started = await startKubernetesSimulator({ readyDelayMs: 20, jobDurationMs: 80 });
  closers.push(() => started.close());
  started.objects.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  started.objects.seed({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'shop:1', command: ['node', 'server.js'] }] },
      },
    },
  });
  return started;
}

const jobInputs = (kubeconfig: string): Record<string, string> => ({
  mode: 'kubernetes-job',
  kubeconfig: Buffer.from(kubeconfig).toString('base64'),
  'from-deployment': 'shop/web',
  image: 'shop:2',
  'migration-command': 'npm run migrate',
});

describe('mode kubernetes-job, end to end', () => {
  it('runs the migration Job, shows its output, reports it and deletes the Job, without leaking the token', async () => {
    const cluster = await simulator();
    cluster.behaviour.containerLog('shop:2', 'Migrating...\nApplied 3 migrations\n');
    const run = await runActionBundle({
      action: 'migrate',
      inputs: jobInputs(cluster.kubeconfig),
      env: { GITHUB_SHA: 'f00dfeed'.repeat(5) },
    });

    expect({ exit: run.exitCode, log: run.log }).toMatchObject({ exit: 0 });
    expect(run.log).toContain('Migrating...\nApplied 3 migrations\n');
    expect(run.log).toContain('Deleted Job shop/web-migrate-f00dfee.');
    expect(JSON.parse(run.outputs.applied ?? '')).toEqual([
      {
        version: null,
        description: 'npm run migrate',
        type: 'command',
        script: null,
        'execution-ms': expect.any(Number),
      },
    ]);
    expect(run.outputs).toMatchObject({
      'current-version': '',
      'exit-code': '0',
      'run-id': 'web-migrate-f00dfee',
    });
    expect(run.summary).toContain('| mode | kubernetes-job |');
    expect(run.summary).toContain('| exit code | 0 |');
    expect(run.summary).toContain('Applied 3 migrations');
    expect(cluster.objects.list('batch/v1', 'Job', 'shop')).toEqual([]);
    expect(run.masks).toContain(cluster.token);
    expectNoSecretLeaks(run, [cluster.token]);
  });

  it('fails with the exit code and the log tail, and exits 1', async () => {
    const cluster = await simulator();
    cluster.behaviour.failJobs(
      { namespace: 'shop' },
      { exitCode: 7, log: 'Migrating...\nERROR: column "email" already exists\n' },
    );
    const run = await runActionBundle({
      action: 'migrate',
      inputs: { ...jobInputs(cluster.kubeconfig), 'keep-job': 'true' },
    });

    expect(run.exitCode).toBe(1);
    const failure = run.annotations.find(
      (annotation) => annotation.level === 'error' && annotation.message.includes('exited with code 7'),
    );
    expect(failure?.message).toContain('ERROR: column "email" already exists');
    expect(run.outputs['exit-code']).toBe('7');
    expect(run.outputs.applied).toBe('[]');
    expect(run.summary).toContain('failed');
    // keep-job leaves the failed Job for kubectl logs.
    expect(cluster.objects.list('batch/v1', 'Job', 'shop')).toHaveLength(1);
    expectNoSecretLeaks(run, [cluster.token]);
  });
});

describe('mode kubernetes-job, interrupted', () => {
  it('at the timeout still writes run-id and the summary, stops the Job even with keep-job, and fails', async () => {
    const cluster = await simulator();
    cluster.behaviour.unschedulable({}, '2 Insufficient memory');
    const run = await runActionBundle({
      action: 'migrate',
      inputs: { ...jobInputs(cluster.kubeconfig), timeout: '2s', 'keep-job': 'true' },
      env: { GITHUB_SHA: 'f00dfeed'.repeat(5) },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outcome).toBe('failure');
    const [error] = run.annotations.filter((annotation) => annotation.level === 'error');
    expect(error?.message).toMatch(
      /^Timed out after 2s waiting for Job shop\/web-migrate-f00dfee to finish: pod web-migrate-f00dfee-\w+ cannot be scheduled/,
    );
    expect(run.outputs).toMatchObject({ 'run-id': 'web-migrate-f00dfee', 'exit-code': '', applied: '[]' });
    expect(run.summary).toContain('Timed out after 2s');
    expect(run.summary).not.toContain('keep-job');
    expect(cluster.objects.list('batch/v1', 'Job', 'shop')).toEqual([]);
  });

  it('when cancelled still writes run-id, the summary and the log tail, stops the Job, and ends cancelled', async () => {
    const cluster = await simulator();
    cluster.behaviour.jobDurationMs = 60_000;
    cluster.behaviour.containerLog('shop:2', 'Migrating...\n');
    const run = await runActionBundle({
      action: 'migrate',
      inputs: { ...jobInputs(cluster.kubeconfig), 'keep-job': 'true' },
      env: { GITHUB_SHA: 'f00dfeed'.repeat(5) },
      signal: { afterMs: 3000, name: 'SIGTERM' },
    });
    expect(run.outcome).toBe('cancelled');
    expect(run.log).toContain('Cancelled by SIGTERM');
    expect(run.outputs).toMatchObject({ 'run-id': 'web-migrate-f00dfee', 'exit-code': '' });
    expect(run.summary).toContain('The run was cancelled while Job shop/web-migrate-f00dfee ran');
    expect(run.summary).toContain('Migrating...');
    expect(cluster.objects.list('batch/v1', 'Job', 'shop')).toEqual([]);
  });
});

describe('mode ecs-task, end to end', () => {
  async function emulator(): Promise<AwsEmulator> {
    const started = await startAwsEmulator();
    closers.push(() => started.close());
    started.ecs.addCluster('prod');
    started.logs.addLogGroup('/ecs/shop');
    const { ECSClient, RegisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
    const ecs = new ECSClient(started.clientConfig());
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'shop',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          {
            name: 'app',
            image: 'shop:2',
            essential: true,
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': '/ecs/shop',
                'awslogs-region': 'eu-west-1',
                'awslogs-stream-prefix': 'shop',
              },
            },
          },
        ],
      }),
    );
    ecs.destroy();
    return started;
  }

  const run = (aws: AwsEmulator): ReturnType<typeof runActionBundle> => {
    const config = aws.clientConfig();
    return runActionBundle({
      action: 'migrate',
      inputs: {
        mode: 'ecs-task',
        cluster: 'prod',
        'task-definition': 'shop',
        subnets: 'subnet-0abc12345def67890',
        'migration-command': '["npm", "run", "migrate"]',
        'poll-interval': '200ms',
      },
      env: {
        AWS_REGION: config.region,
        AWS_ENDPOINT_URL: config.endpoint,
        AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
      },
    });
  };

  it('runs the task, shows its log and reports success', async () => {
    const aws = await emulator();
    aws.ecs.taskBehaviour({ family: 'shop' }, { runMs: 300, logLines: ['Applied 2 migrations'] });
    const result = await run(aws);
    expect({ exit: result.exitCode, log: result.log }).toMatchObject({ exit: 0 });
    expect(result.log).toContain('Applied 2 migrations');
    expect(result.outputs['exit-code']).toBe('0');
    expect(result.outputs['run-id']).toMatch(/^arn:aws:ecs:eu-west-1:\d{12}:task\/prod\//);
    expect(result.summary).toContain('| mode | ecs-task |');
  });

  it('fails with the exit code and the log tail', async () => {
    const aws = await emulator();
    aws.ecs.taskBehaviour(
      { family: 'shop' },
      { exitCode: 1, logLines: ['ERROR: permission denied for schema public'] },
    );
    const result = await run(aws);
    expect(result.exitCode).toBe(1);
    const failure = result.annotations.find(
      (annotation) => annotation.level === 'error' && annotation.message.includes('exited with code 1'),
    );
    expect(failure?.message).toContain('ERROR: permission denied for schema public');
  });
});
