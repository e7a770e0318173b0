import { ActionError } from '../../../../shared/src/errors.ts';
import type { KubernetesClient } from '../../../../shared/src/kubernetes/client/client.ts';
import { buildJob, type JobSpec } from '../../../../shared/src/kubernetes/jobs/job-spec.ts';
import { runJob } from '../../../../shared/src/kubernetes/jobs/job-run.ts';
import { field, isRecord } from '../../../../shared/src/kubernetes/object.ts';
import type { KubernetesJobInputs } from './inputs.ts';
import type { RunResult } from './run-result.ts';

/**
 * mode: kubernetes-job: the migration command as a one-off Job of the core's runner, built from the
 * job-template input or from a Deployment's pod template.
 */
export async function runKubernetesJob(inputs: KubernetesJobInputs, signal: AbortSignal): Promise<RunResult> {
  const result = await runJob(
    {
      cluster: inputs.cluster,
      namespace: inputs.namespace,
      keepJob: inputs.keepJob,
      timeoutMs: inputs.timeoutMs,
      command: inputs.command,
      noun: 'Migration Job',
      buildSpec: (client, namespace, abort) => jobSpec(client, inputs, namespace, abort),
    },
    signal,
  );
  return {
    mode: 'kubernetes-job',
    where: result.where,
    id: result.name,
    command: inputs.command,
    exitCode: result.exitCode,
    failure: result.failure,
    tail: result.tail,
    durationMs: result.durationMs,
    kept: result.kept,
  };
}

async function jobSpec(
  client: KubernetesClient,
  inputs: KubernetesJobInputs,
  namespace: string,
  signal: AbortSignal,
): Promise<JobSpec> {
  const labels = {
    'app.kubernetes.io/managed-by': 'gantry',
    'gantry.dev/action': 'migrate',
    ...(process.env.GITHUB_RUN_ID && { 'gantry.dev/run-id': process.env.GITHUB_RUN_ID }),
    ...(process.env.GITHUB_SHA && { 'gantry.dev/commit': process.env.GITHUB_SHA }),
  };
  const common = {
    namespace,
    suffix: inputs.suffix,
    task: 'migrate',
    purpose: 'the migration',
    image: inputs.image,
    command: inputs.command,
    container: inputs.container,
    timeoutMs: inputs.timeoutMs,
    labels,
  };
  if (inputs.source.kind === 'template') {
    return buildJob({
      ...common,
      podTemplate: inputs.source.template,
      origin: 'the job-template input',
      baseName: inputs.source.name ?? 'app',
    });
  }
  const name = inputs.source.name;
  const deployment = await client.getObject(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, {
    signal,
  });
  if (!deployment) {
    throw new ActionError(`Deployment ${namespace}/${name} (input "from-deployment") does not exist.`, {
      hint: 'deploy the application once first, or give the pod template in job-template',
    });
  }
  const template = field(deployment, 'spec', 'template');
  return buildJob({
    ...common,
    podTemplate: isRecord(template) ? template : {},
    origin: `Deployment ${namespace}/${name}`,
    baseName: name,
  });
}
