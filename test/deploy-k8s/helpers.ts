import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runActionBundle, type ActionRun, type Annotation } from '../support/action-runner.ts';
import type { KubernetesSimulator } from '../support/k8s-simulator/index.ts';
import type { JsonObject } from '../support/k8s-simulator/index.ts';

/** deploy-k8s end to end: the committed bundle, run as the runner runs it, against a simulator. */

export interface Deploy {
  run: ActionRun;
  /** The requests this run sent, in order. */
  requests: KubernetesSimulator['requests'];
}

export async function deploy(
  simulator: KubernetesSimulator,
  workspace: string,
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; during?: () => Promise<void> } = {},
): Promise<Deploy> {
  const before = simulator.requests.length;
  const running = runActionBundle({
    action: 'deploy-k8s',
    inputs: { kubeconfig: simulator.kubeconfig, timeout: '20s', ...inputs },
    cwd: workspace,
    env: options.env,
    timeoutMs: 60_000,
  });
  await options.during?.();
  const run = await running;
  return { run, requests: simulator.requests.slice(before) };
}

export function writeFiles(workspace: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), text);
  }
}

export function errors(run: ActionRun): Annotation[] {
  return run.annotations.filter((annotation) => annotation.level === 'error');
}

/** The run's story for a failed expectation. */
export function story(run: ActionRun): string {
  return `exit ${run.exitCode}\n--- log ---\n${run.log}\n--- summary ---\n${run.summary}`;
}

export function imageOf(object: JsonObject | undefined, ...path: string[]): string | undefined {
  let current: unknown = object;
  for (const key of path) current = (current as Record<string, unknown> | undefined)?.[key];
  const containers = current as { image: string }[] | undefined;
  return containers?.[0]?.image;
}

export function webApp(
  options: { name?: string; image?: string; namespace?: string; replicas?: number; extraSpec?: string } = {},
): string {
  const name = options.name ?? 'web';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}${options.namespace ? `\n  namespace: ${options.namespace}` : ''}
  labels: {app: ${name}}
spec:
  replicas: ${options.replicas ?? 2}${options.extraSpec ? `\n  ${options.extraSpec}` : ''}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: app
        image: ${options.image ?? 'registry.example.com:5000/shop/web:1.0'}
        ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}${options.namespace ? `\n  namespace: ${options.namespace}` : ''}
spec:
  selector: {app: ${name}}
  ports: [{port: 80, targetPort: 8080}]
`;
}
