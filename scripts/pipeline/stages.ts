import { runActionBundle, type ActionRun } from '../../test/support/action-runner.ts';
import type { PipelineEnvironment } from './environment.ts';

/**
 * The staging pipeline, stage by stage, each the committed bundle of one action run through the
 * runner harness; outputs flow from stage to stage as a workflow passes them (build-push's `image`
 * is what deploy-k8s deploys). To add a stage (backup between build and migrate, deploy-ecs next to
 * deploy-k8s, rollback after the broken release), add an entry here: the runner, the closing table
 * and the test pick it up.
 */
export interface Stage {
  name: string;
  /** The action it runs, for the closing table. */
  action: string;
  /** What the stage is expected to do: a broken release is expected to fail (and roll back). */
  expect: 'success' | 'failure';
  run(environment: PipelineEnvironment, outputs: StageOutputs): Promise<ActionRun>;
  /** What must hold after it ran, beyond its outcome; a sentence naming what did not, or undefined. */
  verify?(run: ActionRun, environment: PipelineEnvironment, outputs: StageOutputs): string | undefined;
  /** The output shown in the closing table. */
  keyOutput: string;
}

/** Each finished stage's outputs, by stage name. */
export type StageOutputs = Record<string, Record<string, string>>;

const RUN_TIMEOUT_MS = 180_000;

export const STAGES: Stage[] = [
  {
    name: 'build',
    action: 'build-push',
    expect: 'success',
    keyOutput: 'image',
    run: (environment) =>
      runActionBundle({
        action: 'build-push',
        cwd: environment.workspace,
        env: environment.env,
        timeoutMs: RUN_TIMEOUT_MS,
        inputs: {
          images: environment.repository,
          builder: 'buildah',
          context: 'app',
          tags: 'type=semver,pattern={{version}}\ntype=sha',
          username: environment.login.username,
          password: environment.login.password,
          'insecure-registries': environment.registry.host,
        },
      }),
    verify: (run) => (/@sha256:[0-9a-f]{64}$/.test(run.outputs.image ?? '') ? undefined : 'no image digest'),
  },
  {
    name: 'migrate',
    action: 'migrate',
    expect: 'success',
    keyOutput: 'current-version',
    run: (environment) =>
      runActionBundle({
        action: 'migrate',
        cwd: environment.workspace,
        env: environment.env,
        timeoutMs: RUN_TIMEOUT_MS,
        inputs: { 'database-url': environment.databaseUrl, 'migrations-dir': 'migrations' },
      }),
  },
  {
    name: 'deploy',
    action: 'deploy-k8s',
    expect: 'success',
    keyOutput: 'revision',
    run: (environment, outputs) => deploy(environment, outputs.build?.image ?? ''),
    verify: (_run, environment, outputs) => {
      const image = liveImage(environment);
      return image === outputs.build?.image ? undefined : `the cluster runs ${image}, not the image built`;
    },
  },
  {
    name: 'smoke-test',
    action: 'smoke-test',
    expect: 'success',
    keyOutput: 'passed',
    run: (environment) =>
      runActionBundle({
        action: 'smoke-test',
        cwd: environment.workspace,
        env: environment.env,
        timeoutMs: RUN_TIMEOUT_MS,
        inputs: { url: environment.app.url('/health'), interval: '200ms', samples: '3' },
      }),
  },
  {
    name: 'broken release',
    action: 'deploy-k8s',
    expect: 'failure',
    keyOutput: 'rolled-back',
    run: (environment) => {
      const broken = `${environment.repository}:2.0.0-broken`;
      environment.simulator.behaviour.unpullableImage(broken);
      return deploy(environment, broken);
    },
    verify: (run, environment, outputs) => {
      if (run.outputs['rolled-back'] !== 'true') return 'the broken release was not rolled back';
      const image = liveImage(environment);
      return image === outputs.build?.image ? undefined : `after the roll back the cluster runs ${image}`;
    },
  },
];

function deploy(environment: PipelineEnvironment, image: string): Promise<ActionRun> {
  return runActionBundle({
    action: 'deploy-k8s',
    cwd: environment.workspace,
    env: environment.env,
    timeoutMs: RUN_TIMEOUT_MS,
    inputs: { kubeconfig: environment.simulator.kubeconfig, manifests: 'k8s/', images: image, timeout: '2m' },
  });
}

/** The image of the web Deployment's container, as the API server holds it. */
function liveImage(environment: PipelineEnvironment): string | undefined {
  const deployment = environment.simulator.objects.get('apps/v1', 'Deployment', 'shop', 'web') as
    { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } } | undefined;
  return deployment?.spec?.template?.spec?.containers?.[0]?.image;
}
