import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { Deadline } from '../../../../shared/src/async/deadline.ts';
import type { CodeDeploy } from '../../../../shared/src/codedeploy/client.ts';
import { deployedAppSpec, type DeployedAppSpec } from '../../../../shared/src/codedeploy/revision.ts';
import {
  ACTIVE_STATUSES,
  recentDeployments,
  type CodeDeployTarget,
} from '../../../../shared/src/codedeploy/target.ts';

/**
 * A CODE_DEPLOY service's history, from its deployment group (ECS keeps no service deployments for
 * it): the task definitions of the group's newest deployments that Succeeded (CodeDeploy's own
 * rollbacks included: they ran), newest first; the deployment in flight, if any; and the live
 * AppSpec, the one of the newest succeeded deployment (preferably of the task definition the service
 * runs), whose container name, port and other properties a rollback deployment reuses. GetDeployment
 * does not return AppSpec content: each distinct revision is read once with GetApplicationRevision.
 */

export interface CodeDeployHistory {
  successful: string[];
  inFlight:
    | {
        deploymentId: string;
        status: string;
        taskDefinition: string | undefined;
        /** Production traffic had moved to its task set (the termination wait). */
        trafficMoved: boolean;
        /** CodeDeploy's own rollback of a failed or stopped deployment: waited for, never stopped. */
        isRollback: boolean;
      }
    | undefined;
  live: DeployedAppSpec | undefined;
}

const READ_DEADLINE_MS = 60_000;

export async function readCodeDeployHistory(
  cd: CodeDeploy,
  target: CodeDeployTarget,
  serviceTaskDefinition: string,
  signal: AbortSignal,
): Promise<CodeDeployHistory> {
  const deadline = new Deadline(READ_DEADLINE_MS, `the AppSpecs of ${target.application}/${target.group}`);
  const bySha = new Map<string, Promise<DeployedAppSpec | undefined>>();
  const appSpecOf = (info: DeploymentInfo): Promise<DeployedAppSpec | undefined> => {
    const sha = info.revision?.appSpecContent?.sha256 ?? info.deploymentId ?? '';
    let found = bySha.get(sha);
    if (!found) {
      found = deployedAppSpec(cd, info, deadline, signal);
      bySha.set(sha, found);
    }
    return found;
  };
  const deployments = await recentDeployments(cd, target, signal);
  const active = deployments.find((info) =>
    (ACTIVE_STATUSES as readonly string[]).includes(info.status ?? ''),
  );
  const succeeded: DeployedAppSpec[] = [];
  for (const info of deployments.filter((entry) => entry.status === 'Succeeded')) {
    const appSpec = await appSpecOf(info);
    if (appSpec?.taskDefinition) succeeded.push(appSpec);
  }
  return {
    successful: [...new Set(succeeded.map((appSpec) => appSpec.taskDefinition as string))],
    inFlight: active
      ? {
          deploymentId: active.deploymentId as string,
          status: active.status as string,
          taskDefinition: (await appSpecOf(active))?.taskDefinition,
          trafficMoved: active.instanceTerminationWaitTimeStarted === true,
          isRollback: active.creator === 'codeDeployRollback',
        }
      : undefined,
    live: succeeded.find((appSpec) => appSpec.taskDefinition === serviceTaskDefinition) ?? succeeded[0],
  };
}
