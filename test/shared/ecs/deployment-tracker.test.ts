import { describe, expect, it } from '@jest/globals';
import { classifyEcsError } from '../../../shared/src/ecs/client.ts';
import { ownServiceDeployment } from '../../../shared/src/ecs/deployment-tracker.ts';
import { awsActionError } from '../../../shared/src/aws.ts';

/** Which service deployment is ours, and which ECS errors the tracker retries. */

const at = (seconds: number): Date => new Date(Date.UTC(2026, 11, 6, 12, 0, seconds));
const brief = (id: string, createdAt: Date, revision: string) => ({
  serviceDeploymentArn: `arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/${id}`,
  createdAt,
  targetServiceRevisionArn: `arn:aws:ecs:eu-west-1:123456789012:service-revision/prod/web/${revision}`,
});

describe('ownServiceDeployment', () => {
  it.each([
    [
      'the one targeting our deployment, even when another was created just before',
      [brief('b', at(3), '222'), brief('a', at(1), '111')],
      { deploymentId: 'ecs-svc/111', since: at(2) },
      'a',
    ],
    [
      'without a revision match, the first created since the update (a later one replaced it)',
      [brief('c', at(9), '999'), brief('b', at(5), '555'), brief('a', at(1), '111')],
      { deploymentId: 'ecs-svc/404', since: at(4) },
      'b',
    ],
    [
      'none created since the update',
      [brief('a', at(1), '111')],
      { deploymentId: undefined, since: at(4) },
      undefined,
    ],
  ] as const)('%s', (_name, listed, options, expected) => {
    const found = ownServiceDeployment([...listed], options);
    expect(found?.serviceDeploymentArn?.split('/').at(-1)).toBe(expected);
  });
});

function sdkError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
}

describe('classifyEcsError', () => {
  it.each([
    ['ThrottlingException', 400, true],
    ['TooManyRequestsException', 429, true],
    ['ServerException', 500, true],
    ['ServiceUnavailableException', 503, true],
    ['AccessDeniedException', 400, false],
    ['ExpiredTokenException', 400, false],
    ['ClientException', 400, false],
    ['InvalidParameterException', 400, false],
  ] as const)('%s (%i): transient %s', (name, status, transient) => {
    expect(classifyEcsError(awsActionError('DescribeServices', sdkError(name, status))).transient).toBe(
      transient,
    );
  });
});
