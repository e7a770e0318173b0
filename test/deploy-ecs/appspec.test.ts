import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { buildAppSpec, parseAppSpec, readPort } from '../../actions/deploy-ecs/src/codedeploy/appspec.ts';
import { appSpecRevision } from '../../shared/src/codedeploy/revision.ts';

/** The ECS AppSpec: what is read from a file, what Gantry writes, and the revision sent to CodeDeploy. */

const ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7';
const FULL = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: app
          ContainerPort: "8080"
        PlatformVersion: "1.4.0"
        NetworkConfiguration:
          AwsvpcConfiguration:
            Subnets: [subnet-0a1b2c3d4e]
            AssignPublicIp: DISABLED
Hooks:
  - BeforeInstall: "PreCheck"
  - AfterAllowTestTraffic: "arn:aws:lambda:eu-west-1:123456789012:function:CheckGreen"
`;

describe('parseAppSpec', () => {
  it('reads container, port and hooks, and keeps every other field', () => {
    const result = parseAppSpec(FULL, parse);
    expect(result).toMatchObject({
      containerName: 'app',
      containerPort: 8080,
      hooks: {
        BeforeInstall: 'PreCheck',
        AfterAllowTestTraffic: 'arn:aws:lambda:eu-west-1:123456789012:function:CheckGreen',
      },
    });
    const revision = appSpecRevision((result as Exclude<typeof result, { problem: string }>).document, ARN);
    const sent = JSON.parse(revision.appSpecContent.content);
    expect(sent.Resources[0].TargetService.Properties).toMatchObject({
      TaskDefinition: ARN,
      PlatformVersion: '1.4.0',
      NetworkConfiguration: {
        AwsvpcConfiguration: { Subnets: ['subnet-0a1b2c3d4e'], AssignPublicIp: 'DISABLED' },
      },
    });
    expect(revision.appSpecContent.sha256).toBe(
      createHash('sha256').update(revision.appSpecContent.content).digest('hex'),
    );
  });

  it('reads the JSON form too', () => {
    const json = JSON.stringify(parse(FULL));
    expect(parseAppSpec(json, parse)).toMatchObject({ containerName: 'app', containerPort: 8080 });
  });

  const REJECTED: [string, string, string][] = [
    ['not YAML', 'Resources: [', 'is not valid JSON or YAML'],
    ['a scalar', '"just text"', 'is not a mapping'],
    ['no Resources', 'version: 0.0', 'exactly one entry'],
    [
      'two resources',
      FULL.replace('Resources:\n', 'Resources:\n  - TargetService: {Type: AWS::ECS::Service}\n'),
      'exactly one entry',
    ],
    [
      'a Lambda target',
      FULL.replace('AWS::ECS::Service', 'AWS::Lambda::Function'),
      'Type: AWS::ECS::Service',
    ],
    ['no LoadBalancerInfo', FULL.replace('LoadBalancerInfo:', 'Balancer:'), 'LoadBalancerInfo'],
    ['a port of 0', FULL.replace('"8080"', '0'), 'ContainerPort (1 to 65535)'],
    ['a port that is a word', FULL.replace('"8080"', 'http'), 'ContainerPort (1 to 65535)'],
    [
      'no container name',
      FULL.replace('ContainerName: app', 'ContainerName: ""'),
      'LoadBalancerInfo.ContainerName',
    ],
    [
      'Hooks as a mapping',
      FULL.replace('Hooks:\n  - BeforeInstall', 'Hooks:\n  BeforeInstall').replace(
        '  - AfterAllowTestTraffic',
        '  AfterAllowTestTraffic',
      ),
      'not a list',
    ],
    ['a hook on Install', FULL.replace('BeforeInstall:', 'Install:'), 'the hook "Install"'],
    [
      'a hook function with a space',
      FULL.replace('"PreCheck"', '"Pre Check"'),
      'is not a function name or ARN',
    ],
  ];

  it.each(REJECTED)('rejects %s', (_what, text, says) => {
    const result = parseAppSpec(text, parse);
    expect(result).toHaveProperty('problem');
    expect((result as { problem: string }).problem).toContain(says);
  });
});

describe('buildAppSpec', () => {
  it('writes the minimal ECS AppSpec, hooks in lifecycle order', () => {
    const built = buildAppSpec({
      containerName: 'app',
      containerPort: 80,
      hooks: { AfterAllowTraffic: 'Final', BeforeInstall: 'First' },
    });
    expect(JSON.parse(appSpecRevision(built.document, ARN).appSpecContent.content)).toEqual({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: ARN,
              LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 80 },
            },
          },
        },
      ],
      Hooks: [{ BeforeInstall: 'First' }, { AfterAllowTraffic: 'Final' }],
    });
  });
});

describe('readPort', () => {
  it.each([
    [80, 80],
    ['8080', 8080],
    [' 443 ', 443],
    ['65535', 65535],
    ['0', undefined],
    ['65536', undefined],
    ['80.5', undefined],
    ['-1', undefined],
    ['', undefined],
    [null, undefined],
  ])('%p is %p', (value, port) => {
    expect(readPort(value)).toBe(port);
  });
});
