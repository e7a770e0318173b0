import type { DeploymentGroupInfo, DeploymentInfo, DeploymentStatus } from '@aws-sdk/client-codedeploy';
import { Deadline } from '../async/deadline.ts';
import { ActionError } from '../errors.ts';
import { codeDeployCall, errorCode, type CodeDeploy } from './client.ts';

/**
 * The CodeDeploy application and deployment group of a CODE_DEPLOY service, checked with reads
 * before anything is registered: both exist, the group deploys this very service, and (for a
 * deploy) no deployment of the group is in flight. Defaults as aws-actions' ECS action has them.
 */

export interface CodeDeployTarget {
  application: string;
  group: string;
  info: DeploymentGroupInfo;
}

/** The statuses of a deployment that has not ended. */
export const ACTIVE_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] as const;

const READ_DEADLINE_MS = 60_000;

export function defaultApplication(cluster: string, service: string): string {
  return `AppECS-${shortName(cluster)}-${shortName(service)}`;
}

export function defaultGroup(cluster: string, service: string): string {
  return `DgpECS-${shortName(cluster)}-${shortName(service)}`;
}

function shortName(nameOrArn: string): string {
  return nameOrArn.split('/').at(-1) ?? nameOrArn;
}

export async function resolveTarget(
  cd: CodeDeploy,
  request: { application: string | undefined; group: string | undefined; cluster: string; service: string },
  signal: AbortSignal,
): Promise<CodeDeployTarget> {
  const application = request.application ?? defaultApplication(request.cluster, request.service);
  const group = request.group ?? defaultGroup(request.cluster, request.service);
  const deadline = new Deadline(READ_DEADLINE_MS, `CodeDeploy group ${application}/${group}`);
  let info: DeploymentGroupInfo | undefined;
  try {
    const answer = await codeDeployCall(
      'GetDeploymentGroup',
      () =>
        cd.client.send(
          new cd.sdk.GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group }),
          {
            abortSignal: signal,
          },
        ),
      { deadline, signal },
    );
    info = answer.deploymentGroupInfo;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ApplicationDoesNotExistException') {
      throw new ActionError(
        `CodeDeploy application ${application} does not exist in ${cd.region}${request.application ? '' : ' (the default name for this service)'}: nothing was registered or changed.`,
        {
          hint: 'set codedeploy-application to the application of the service, or create it (computePlatform ECS)',
        },
      );
    }
    if (code === 'DeploymentGroupDoesNotExistException') {
      throw new ActionError(
        `CodeDeploy deployment group ${group} does not exist in application ${application}${request.group ? '' : ' (the default name for this service)'}: nothing was registered or changed.`,
        { hint: 'set codedeploy-deployment-group to the blue/green deployment group of the service' },
      );
    }
    throw error;
  }
  const services = info?.ecsServices ?? [];
  const serves = services.some(
    (entry) =>
      shortName(entry.serviceName ?? '') === shortName(request.service) &&
      shortName(entry.clusterName ?? '') === shortName(request.cluster),
  );
  if (!serves) {
    const listed = services.map((entry) => `${entry.clusterName}/${entry.serviceName}`).join(', ') || 'none';
    throw new ActionError(
      `CodeDeploy deployment group ${application}/${group} deploys ${listed}, not ${shortName(request.cluster)}/${shortName(request.service)}: nothing was registered or changed.`,
      { hint: 'set codedeploy-application and codedeploy-deployment-group to the ones of this service' },
    );
  }
  return { application, group, info: info as DeploymentGroupInfo };
}

/** The group's deployments that have not ended, the newest first. */
export async function activeDeployments(
  cd: CodeDeploy,
  target: CodeDeployTarget,
  signal: AbortSignal,
): Promise<DeploymentInfo[]> {
  return listDeployments(cd, target, { includeOnlyStatuses: [...ACTIVE_STATUSES] }, signal);
}

/** The newest deployments of the group, whatever their status (the first page: enough to find the last one). */
export async function recentDeployments(
  cd: CodeDeploy,
  target: CodeDeployTarget,
  signal: AbortSignal,
): Promise<DeploymentInfo[]> {
  // BatchGetDeployments takes at most 25 ids.
  return listDeployments(cd, target, { most: 25 }, signal);
}

async function listDeployments(
  cd: CodeDeploy,
  target: CodeDeployTarget,
  { includeOnlyStatuses, most }: { includeOnlyStatuses?: DeploymentStatus[]; most?: number },
  signal: AbortSignal,
): Promise<DeploymentInfo[]> {
  const deadline = new Deadline(READ_DEADLINE_MS, `the deployments of ${target.application}/${target.group}`);
  const listed = await codeDeployCall(
    'ListDeployments',
    () =>
      cd.client.send(
        new cd.sdk.ListDeploymentsCommand({
          applicationName: target.application,
          deploymentGroupName: target.group,
          includeOnlyStatuses,
        }),
        { abortSignal: signal },
      ),
    { deadline, signal },
  );
  return describeDeployments(cd, (listed.deployments ?? []).slice(0, most), deadline, signal);
}

async function describeDeployments(
  cd: CodeDeploy,
  ids: string[],
  deadline: Deadline,
  signal: AbortSignal,
): Promise<DeploymentInfo[]> {
  if (ids.length === 0) return [];
  const answer = await codeDeployCall(
    'BatchGetDeployments',
    () =>
      cd.client.send(new cd.sdk.BatchGetDeploymentsCommand({ deploymentIds: ids }), { abortSignal: signal }),
    { deadline, signal },
  );
  // ListDeployments' order is not documented: sort by creation time, newest first.
  return (answer.deploymentsInfo ?? []).toSorted(
    (a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0),
  );
}
