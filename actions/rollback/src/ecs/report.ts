import type { TrackResult } from '../../../../shared/src/ecs/deployment-tracker.ts';
import type { RollbackResult } from '../../../../shared/src/ecs/rollback.ts';
import { formatDuration } from '../../../../shared/src/formats/duration.ts';
import { escapeInline, JobSummary } from '../../../../shared/src/runner/summary.ts';
import type { RollbackOutputs } from '../report.ts';
import type { CodeDeployHow } from './codedeploy-restore.ts';
import { shortName } from './task-definition-ref.ts';

/** The ECS rollback's outputs and job summary: the service's task definition and images before and after. */
export interface EcsRollback {
  cluster: string;
  service: string;
  current: string;
  target: string;
  imagesBefore: Record<string, string>;
  images: Record<string, string>;
  /** The service deployment stopped with ROLLBACK (the CodeDeploy deployment, for CODE_DEPLOY), when one was in flight. */
  inFlight: string | undefined;
  /** `<application>/<group>` of a CODE_DEPLOY service. */
  codeDeploy: string | undefined;
  how?: RollbackResult['how'] | CodeDeployHow;
  /** The CodeDeploy deployment stopped or created. */
  codeDeployDeployment?: string;
  tracked?: Pick<TrackResult, 'verdict' | 'state' | 'reason'>;
}

export function ecsOutputs(rollback: EcsRollback, deploymentId: number | undefined): RollbackOutputs {
  return {
    'restored-revision': rollback.target,
    'replaced-revision': rollback.current,
    images: [...new Set(Object.values(rollback.images))].join('\n'),
    'deployment-id': deploymentId === undefined ? '' : String(deploymentId),
  };
}

export function ecsSummary(facts: {
  rollback: EcsRollback;
  dryRun: boolean;
  durationMs: number;
  failure?: string;
  deploymentId?: number;
}): JobSummary {
  const { rollback } = facts;
  const summary = new JobSummary().heading(
    `rollback${facts.dryRun ? ' (dry run)' : ''}: ECS service ${rollback.service}`,
  );
  const lead = facts.dryRun
    ? 'Nothing was changed: this is what a rollback would restore.'
    : facts.failure
      ? `**Failed.** ${escapeInline(facts.failure)}`
      : `Rolled back in ${formatDuration(facts.durationMs)}.`;
  const record = facts.deploymentId === undefined ? '' : ` Recorded as deployment ${facts.deploymentId}.`;
  const codeDeploy = rollback.codeDeploy
    ? ` Deployed by CodeDeploy (${escapeInline(rollback.codeDeploy)}).`
    : '';
  summary.paragraph(`${lead} Cluster ${escapeInline(rollback.cluster)}.${codeDeploy}${record}`);
  const state = (arn: string, images: Record<string, string>): string =>
    [shortName(arn), ...Object.entries(images).map(([name, image]) => `${name}: ${image}`)].join('\n');
  const how =
    rollback.how === 'codedeploy-stop'
      ? `CodeDeploy deployment ${rollback.codeDeployDeployment} stopped with auto rollback`
      : rollback.how === 'codedeploy-deployment'
        ? `rolled back by CodeDeploy deployment ${rollback.codeDeployDeployment}`
        : rollback.how === 'stop-with-rollback'
          ? 'deployment in flight stopped with ROLLBACK'
          : rollback.how === 'update-to-previous'
            ? 'service updated back'
            : facts.dryRun
              ? plannedChange(rollback)
              : 'already there: nothing to do';
  summary.table(
    ['Service', 'Before', 'After', 'Result'],
    [
      [
        rollback.service,
        state(rollback.current, rollback.imagesBefore),
        state(rollback.target, rollback.images),
        `${how}${rollback.tracked ? `; ${rollback.tracked.state}` : ''}`,
      ],
    ],
  );
  return summary;
}

function plannedChange(rollback: EcsRollback): string {
  if (rollback.codeDeploy) {
    return rollback.inFlight
      ? `would stop CodeDeploy deployment ${rollback.inFlight} with auto rollback`
      : `would create a CodeDeploy deployment of ${shortName(rollback.target)}`;
  }
  return rollback.inFlight
    ? 'would stop the deployment in flight with ROLLBACK'
    : `would update the service to ${shortName(rollback.target)}`;
}
