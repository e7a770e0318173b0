import { CODEDEPLOY_NAME } from '../../../../shared/src/codedeploy/names.ts';
import { getDuration, getOptionalString, invalidInput } from '../../../../shared/src/runner/inputs.ts';
import {
  parseTaskDefinitionRef,
  TASK_DEFINITION_REF_ACCEPTED,
  type TaskDefinitionRef,
} from './task-definition-ref.ts';

/** The ECS inputs: which service, in which region, to which task definition, polled how often. */
export interface EcsInputs {
  cluster: string | undefined;
  service: string | undefined;
  region: string | undefined;
  toTaskDefinition: TaskDefinitionRef | undefined;
  pollIntervalMs: number;
  /** For a CODE_DEPLOY service; undefined: aws-actions' default names (AppECS-<cluster>-<service>). */
  codedeployApplication: string | undefined;
  codedeployGroup: string | undefined;
}

/** The inputs that mean ECS when given. */
export const ECS_INPUTS = ['cluster', 'service', 'to-task-definition'] as const;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function readEcsInputs(): EcsInputs {
  const text = getOptionalString('to-task-definition');
  const toTaskDefinition = text === undefined ? undefined : parseTaskDefinitionRef(text);
  if (text !== undefined && !toTaskDefinition) {
    throw invalidInput('to-task-definition', text, TASK_DEFINITION_REF_ACCEPTED);
  }
  const region = getOptionalString('aws-region');
  if (region !== undefined && !REGION.test(region)) {
    throw invalidInput('aws-region', region, 'expected an AWS region like eu-west-1');
  }
  const codeDeployName = (name: string, what: string): string | undefined => {
    const value = getOptionalString(name);
    if (value !== undefined && !CODEDEPLOY_NAME.test(value)) {
      throw invalidInput(
        name,
        value,
        `expected a CodeDeploy ${what} name (1 to 100 letters, digits and _ . + @ = , -)`,
      );
    }
    return value;
  };
  return {
    cluster: getOptionalString('cluster'),
    service: getOptionalString('service'),
    region,
    toTaskDefinition,
    pollIntervalMs: getDuration('poll-interval', { default: 5000, min: 1000, max: 5 * 60_000 }),
    codedeployApplication: codeDeployName('codedeploy-application', 'application'),
    codedeployGroup: codeDeployName('codedeploy-deployment-group', 'deployment group'),
  };
}
