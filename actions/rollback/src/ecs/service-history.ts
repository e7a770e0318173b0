import type { ServiceDeploymentBrief } from '@aws-sdk/client-ecs';
import { ecsCall, type Ecs } from '../../../../shared/src/ecs/client.ts';

/**
 * A service's own deployment history (ListServiceDeployments, DescribeServiceRevisions): the task
 * definitions of its deployments that ended SUCCESSFUL, newest first, and the deployment still in
 * flight, if any. "Current revision - 1" is never used: that can be a bad build that never ran.
 */
export interface ServiceHistory {
  /** Task definition ARNs that ran successfully, newest first, each once. */
  successful: string[];
  /** A service deployment not finished yet: a rollback stops it with ROLLBACK. */
  inFlight: ServiceDeploymentBrief | undefined;
}

const IN_FLIGHT = new Set(['PENDING', 'IN_PROGRESS']);
/** DescribeServiceRevisions takes at most 20 ARNs. */
const REVISIONS_PER_CALL = 20;

export async function readServiceHistory(
  ecs: Ecs,
  cluster: string,
  service: string,
  signal?: AbortSignal,
): Promise<ServiceHistory> {
  const { serviceDeployments = [] } = await ecsCall('ListServiceDeployments', () =>
    ecs.client.send(new ecs.sdk.ListServiceDeploymentsCommand({ cluster, service, maxResults: 100 }), {
      abortSignal: signal,
    }),
  );
  const newestFirst = [...serviceDeployments].sort(
    (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
  );
  const succeeded = newestFirst.filter(
    (entry) => entry.status === 'SUCCESSFUL' && entry.targetServiceRevisionArn,
  );
  const arns = [...new Set(succeeded.map((entry) => entry.targetServiceRevisionArn as string))];
  const taskDefinitions = new Map<string, string>();
  for (let start = 0; start < arns.length; start += REVISIONS_PER_CALL) {
    const { serviceRevisions = [] } = await ecsCall('DescribeServiceRevisions', () =>
      ecs.client.send(
        new ecs.sdk.DescribeServiceRevisionsCommand({
          serviceRevisionArns: arns.slice(start, start + REVISIONS_PER_CALL),
        }),
        { abortSignal: signal },
      ),
    );
    for (const revision of serviceRevisions) {
      if (revision.serviceRevisionArn && revision.taskDefinition) {
        taskDefinitions.set(revision.serviceRevisionArn, revision.taskDefinition);
      }
    }
  }
  const successful = [
    ...new Set(
      succeeded.flatMap((entry) => taskDefinitions.get(entry.targetServiceRevisionArn as string) ?? []),
    ),
  ];
  return { successful, inFlight: newestFirst.find((entry) => IN_FLIGHT.has(entry.status ?? '')) };
}
