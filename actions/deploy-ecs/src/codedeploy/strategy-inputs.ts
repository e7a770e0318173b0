import { ConfigurationError } from '../../../../shared/src/errors.ts';
import { getOptionalString } from '../../../../shared/src/runner/inputs.ts';
import { readRecordInputs, type RecordInputs } from '../../../../shared/src/github/record-inputs.ts';
import { readCluster, readMinutes, readPollInterval, readService } from '../inputs.ts';
import { readCodeDeployInputs, type CodeDeployInputs, type StrategyAction } from './inputs.ts';

/** `action: promote | abort`: a CodeDeploy deployment of the service moves on or rolls back; nothing is rendered. */
export interface StrategyInputs {
  action: Exclude<StrategyAction, 'deploy'>;
  region: string | undefined;
  cluster: string;
  service: string;
  codedeploy: CodeDeployInputs;
  waitMs: number;
  pollIntervalMs: number;
  record: RecordInputs;
}

/**
 * promote and abort read only what they use (cluster, service, the CodeDeploy names, the waits and
 * the record inputs): the deploy step's other inputs may stay in place and are not read.
 */
export async function readStrategyInputs(action: Exclude<StrategyAction, 'deploy'>): Promise<StrategyInputs> {
  const cluster = readCluster();
  const service = readService();
  if (service === undefined) {
    throw new ConfigurationError(
      `Input "action" is "${action}", which acts on a service: it needs input "service".`,
      {
        input: 'service',
      },
    );
  }
  return {
    action,
    region: getOptionalString('aws-region'),
    cluster,
    service,
    codedeploy: await readCodeDeployInputs(action, undefined),
    waitMs: readMinutes('wait-for-minutes'),
    pollIntervalMs: readPollInterval(),
    record: readRecordInputs(),
  };
}
