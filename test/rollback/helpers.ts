import { Deadline } from '../../shared/src/async/deadline.ts';
import type { KubeObject } from '../../shared/src/kubernetes/object.ts';
import type { WaitedKind } from '../../shared/src/kubernetes/rollout/rollout-status.ts';
import { waitForRollouts, type RolloutResult } from '../../shared/src/kubernetes/rollout/rollout-wait.ts';
import { runActionBundle, type ActionRun } from '../support/action-runner.ts';
import { startGitHubApi, type GitHubApi, type RecordedGitHubRequest } from '../support/github-api/index.ts';
import type { RecordedRequest } from '../support/k8s-simulator/index.ts';
import { startCluster, type SimulatedCluster } from '../shared/kubernetes/simulated-cluster.ts';

/** rollback end to end: the bundle run as the runner runs it, against the Kubernetes simulator and the GitHub API server. */

export const RUN_SHA = '3f786850e387550fdab836ed7e6dc881de23001b';

export interface World {
  cluster: SimulatedCluster;
  github: GitHubApi;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const cluster = await startCluster({ readyDelayMs: 30, backOffMs: 50 });
  const github = await startGitHubApi({ repository: 'gantry-dev/sample-service', refs: { main: RUN_SHA } });
  return {
    cluster,
    github,
    close: async () => {
      await github.close();
      await cluster.close();
    },
  };
}

export interface Rollback {
  run: ActionRun;
  /** Kubernetes requests of this run, in order. */
  requests: RecordedRequest[];
  /** GitHub requests of this run, in order. */
  githubRequests: RecordedGitHubRequest[];
}

export async function rollback(
  world: World,
  inputs: Record<string, string>,
  options: { kubeconfig?: boolean; env?: Record<string, string>; during?: () => Promise<void> } = {},
): Promise<Rollback> {
  const before = world.cluster.simulator.requests.length;
  const githubBefore = world.github.requests.length;
  const running = runActionBundle({
    action: 'rollback',
    inputs: {
      ...(options.kubeconfig === false ? {} : { kubeconfig: world.cluster.simulator.kubeconfig }),
      timeout: '20s',
      ...inputs,
    },
    env: { ...world.github.env, ...options.env },
    github: { token: world.github.token },
    timeoutMs: 60_000,
  });
  await options.during?.();
  const run = await running;
  return {
    run,
    requests: world.cluster.simulator.requests.slice(before),
    githubRequests: world.github.requests.slice(githubBefore),
  };
}

/** Requests that could change something: anything but GET (a watch is a GET). */
export function writes(requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.filter((request) => request.method !== 'GET');
}

/** Applies each version in turn and waits for its rollout, building a history of revisions 1..n. */
export async function rollOut(cluster: SimulatedCluster, versions: KubeObject[]): Promise<KubeObject> {
  let last: KubeObject = {};
  for (const version of versions) {
    last = await cluster.apply(version);
    const [result] = await waitFor(cluster, last);
    if (result?.state !== 'complete')
      throw new Error(`rollout of ${JSON.stringify(version.spec)} ended ${result?.state}`);
  }
  return last;
}

export async function waitFor(cluster: SimulatedCluster, object: KubeObject): Promise<RolloutResult[]> {
  return waitForRollouts(
    cluster.client,
    [
      {
        ref: {
          apiVersion: object.apiVersion ?? '',
          kind: object.kind as WaitedKind,
          name: object.metadata?.name ?? '',
          namespace: object.metadata?.namespace ?? 'default',
        },
        object,
      },
    ],
    {
      deadline: new Deadline(15_000, 'the test rollout'),
      signal: new AbortController().signal,
      maxRestarts: 3,
    },
  );
}

export function liveImage(cluster: SimulatedCluster, kind: string, name: string): string | undefined {
  const live = cluster.simulator.objects.get('apps/v1', kind, 'default', name);
  const template = (live?.spec as { template?: { spec?: { containers?: { image: string }[] } } } | undefined)
    ?.template;
  return template?.spec?.containers?.[0]?.image;
}

export function story(run: ActionRun): string {
  return `exit ${run.exitCode}\n--- log ---\n${run.log}\n--- summary ---\n${run.summary}`;
}

export function expectSuccess(run: ActionRun): void {
  if (run.outcome !== 'success') throw new Error(`the step failed:\n${story(run)}`);
}
