import { runActionBundle, type ActionRun } from '../../../test/support/action-runner.ts';
import type { PipelineEnvironment } from '../environment.ts';

/**
 * One stage of the staging pipeline: the committed bundle of one action, run through the runner
 * harness as a workflow step; outputs flow from stage to stage as a workflow passes them
 * (build-push's `image` is what deploy-k8s and deploy-ecs deploy). The stages are listed in
 * `stages/index.ts`: to add one, write its file and add it there; the runner, the closing table and
 * the test pick it up.
 */
export interface Stage {
  name: string;
  /** The action it runs, for the closing table. */
  action: string;
  /** What the stage is expected to do: a broken release is expected to fail. */
  expect: 'success' | 'failure';
  run(environment: PipelineEnvironment, outputs: StageOutputs): Promise<ActionRun>;
  /** What must hold after it ran, beyond its outcome; a sentence naming what did not, or undefined. */
  verify?(
    run: ActionRun,
    environment: PipelineEnvironment,
    outputs: StageOutputs,
  ): Promise<string | undefined> | string | undefined;
  /** The outputs shown in the closing table. */
  keyOutputs: string[];
}

/** Each finished stage's outputs, by stage name. */
export type StageOutputs = Record<string, Record<string, string>>;

const RUN_TIMEOUT_MS = 180_000;

/** Runs `action` as a step of the pipeline's job: its workspace, the runner's environment, the job's GitHub token. */
export function runStep(
  action: string,
  environment: PipelineEnvironment,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runActionBundle({
    action,
    cwd: environment.workspace,
    env: { ...environment.env, ...env },
    github: { token: environment.github.token },
    timeoutMs: RUN_TIMEOUT_MS,
    inputs,
  });
}

/** The image of the web Deployment's container, as the API server holds it. */
export function liveImage(environment: PipelineEnvironment): string | undefined {
  const deployment = environment.simulator.objects.get('apps/v1', 'Deployment', 'shop', 'web') as
    { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } } | undefined;
  return deployment?.spec?.template?.spec?.containers?.[0]?.image;
}

/** The environments the pipeline records its deploys in: one per platform, as a matrix would. */
export const STAGING = 'staging';
export const STAGING_ECS = 'staging-ecs';

/** The next commit's run, whose release is broken: its records name that commit. */
export const BROKEN_RELEASE_ENV = {
  GITHUB_SHA: '0c1e8d7a5b3f2e9d4c6a8b1f0e7d3c5a9b2f4e6d',
  GITHUB_REF_NAME: 'v1.1.0',
  GITHUB_REF: 'refs/tags/v1.1.0',
};
