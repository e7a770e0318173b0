import { describe, expect, it } from '@jest/globals';
import { diffTaskDefinitions, sameTaskDefinition } from '../../actions/deploy-ecs/src/render/canonical.ts';
import { logOptions } from '../../actions/deploy-ecs/src/render/render-inputs.ts';
import { renderTaskDefinition, type RenderRequest } from '../../actions/deploy-ecs/src/render/render.ts';

/** The in-process render and the canonical comparison, as tables of cases. */

const NONE: RenderRequest = {
  containerName: undefined,
  images: {},
  environment: {},
  removeEnvironment: [],
  secrets: {},
  dockerLabels: {},
  logConfiguration: undefined,
  command: undefined,
  cpu: undefined,
  memory: undefined,
  taskRoleArn: undefined,
  executionRoleArn: undefined,
};

const SOURCE = {
  taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7',
  revision: 7,
  status: 'ACTIVE',
  requiresAttributes: [{ name: 'ecs.capability.execution-role-awslogs' }],
  compatibilities: ['EC2', 'FARGATE'],
  registeredAt: 1765000000,
  registeredBy: 'arn:aws:iam::123456789012:root',
  deregisteredAt: null,
  family: 'web',
  cpu: '256',
  memory: '512',
  futureSetting: { on: true },
  containerDefinitions: [
    {
      name: 'app',
      image: 'web:1',
      environment: [
        { name: 'MODE', value: 'production' },
        { name: 'OLD', value: 'x' },
      ],
      secrets: [
        { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db' },
      ],
      dockerLabels: { team: 'shop' },
    },
    { name: 'sidecar', image: 'envoy:1', essential: false },
  ],
};

type Case = [string, Partial<RenderRequest>, (definition: Record<string, unknown>) => unknown, unknown];
const app = (definition: Record<string, unknown>): Record<string, unknown> =>
  (definition.containerDefinitions as Record<string, unknown>[])[0] as Record<string, unknown>;

const CASES: Case[] = [
  [
    'image of the named container',
    { containerName: 'app', images: { app: 'web:2' } },
    (d) => app(d).image,
    'web:2',
  ],
  [
    'images of several containers',
    { images: { app: 'web:2', sidecar: 'envoy:2' } },
    (d) => (d.containerDefinitions as { image: string }[]).map((c) => c.image),
    ['web:2', 'envoy:2'],
  ],
  [
    'environment: added, updated in place, removed',
    { containerName: 'app', environment: { MODE: 'staging', NEW: 'a=b=c' }, removeEnvironment: ['OLD'] },
    (d) => app(d).environment,
    [
      { name: 'MODE', value: 'staging' },
      { name: 'NEW', value: 'a=b=c' },
    ],
  ],
  [
    'secrets: updated and added',
    { containerName: 'app', secrets: { API_KEY: 'arn:aws:ssm:eu-west-1:123456789012:parameter/api' } },
    (d) => (app(d).secrets as { name: string }[]).map((s) => s.name),
    ['DB_PASSWORD', 'API_KEY'],
  ],
  [
    'docker labels merged',
    { containerName: 'app', dockerLabels: { release: '42' } },
    (d) => app(d).dockerLabels,
    { team: 'shop', release: '42' },
  ],
  [
    'log configuration replaced',
    {
      containerName: 'app',
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
    },
    (d) => app(d).logConfiguration,
    { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
  ],
  [
    'command',
    { containerName: 'app', command: ['node', 'server.js'] },
    (d) => app(d).command,
    ['node', 'server.js'],
  ],
  [
    'sizes and roles',
    {
      cpu: '512',
      memory: '1024',
      taskRoleArn: 'arn:aws:iam::123456789012:role/t',
      executionRoleArn: 'arn:aws:iam::123456789012:role/e',
    },
    (d) => [d.cpu, d.memory, d.taskRoleArn, d.executionRoleArn],
    ['512', '1024', 'arn:aws:iam::123456789012:role/t', 'arn:aws:iam::123456789012:role/e'],
  ],
  [
    'read-only fields dropped',
    {},
    (d) =>
      [
        'taskDefinitionArn',
        'revision',
        'status',
        'requiresAttributes',
        'compatibilities',
        'registeredAt',
        'registeredBy',
        'deregisteredAt',
      ].filter((key) => key in d),
    [],
  ],
  ['a field Gantry does not know is kept', {}, (d) => d.futureSetting, { on: true }],
  [
    'the other container is untouched',
    { containerName: 'app', images: { app: 'web:2' }, environment: { A: '1' } },
    (d) => (d.containerDefinitions as unknown[])[1],
    { name: 'sidecar', image: 'envoy:1', essential: false },
  ],
];

describe('renderTaskDefinition', () => {
  it.each(CASES)('%s', (_name, request, pick, expected) => {
    const result = renderTaskDefinition(SOURCE, { ...NONE, ...request });
    if ('problem' in result) throw new Error(result.problem.message);
    expect(pick(result.definition)).toEqual(expected);
  });

  it.each([
    [
      'a container the definition lacks',
      { containerName: 'worker' },
      'container-name',
      'names container worker, which is not in task definition web: it has app, sidecar.',
    ],
    [
      'an image for a container the definition lacks',
      { images: { worker: 'w:1' } },
      'images',
      'names container worker',
    ],
    [
      'container settings without container-name on two containers',
      { images: { '': 'web:2' } },
      'container-name',
      'has 2 containers (app, sidecar)',
    ],
  ] as const)('refuses %s', (_name, request, input, message) => {
    const result = renderTaskDefinition(SOURCE, { ...NONE, ...request });
    expect(result).toEqual({ problem: { input, message: expect.stringContaining(message) } });
  });

  it('does not change its source', () => {
    const copy = structuredClone(SOURCE);
    renderTaskDefinition(SOURCE, {
      ...NONE,
      containerName: 'app',
      images: { app: 'web:2' },
      environment: { X: '1' },
    });
    expect(SOURCE).toEqual(copy);
  });
});

describe('sameTaskDefinition', () => {
  const registered = {
    ...SOURCE,
    networkMode: 'awsvpc',
    containerDefinitions: [
      {
        name: 'app',
        image: 'web:1',
        cpu: 0,
        essential: true,
        portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
        environment: [],
        mountPoints: [],
        volumesFrom: [],
      },
    ],
    volumes: [],
    placementConstraints: [],
  };
  const file = {
    family: 'web',
    cpu: 256,
    memory: '512',
    futureSetting: { on: true },
    networkMode: 'awsvpc',
    containerDefinitions: [{ portMappings: [{ containerPort: 80 }], image: 'web:1', name: 'app' }],
  };

  it.each([
    ['ECS defaults, empty lists, key order and number-or-string sizes', file, true],
    [
      'a different image',
      { ...file, containerDefinitions: [{ ...file.containerDefinitions[0], image: 'web:2' }] },
      false,
    ],
    ['a new unknown field', { ...file, anotherFutureSetting: 1 }, false],
    [
      'the same environment in another order',
      { ...file, containerDefinitions: [{ ...file.containerDefinitions[0], environment: [] }] },
      true,
    ],
  ] as const)('%s: %s', (_name, candidate, same) => {
    expect(sameTaskDefinition(candidate as Record<string, unknown>, registered)).toBe(same);
  });

  it('sorts name/value lists by name before comparing', () => {
    const a = {
      family: 'f',
      containerDefinitions: [
        {
          name: 'c',
          image: 'i',
          environment: [
            { name: 'B', value: '2' },
            { name: 'A', value: '1' },
          ],
        },
      ],
    };
    const b = {
      family: 'f',
      containerDefinitions: [
        {
          name: 'c',
          image: 'i',
          environment: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        },
      ],
    };
    expect(sameTaskDefinition(a, b)).toBe(true);
  });

  it('diffs by container name', () => {
    expect(
      diffTaskDefinitions(registered, {
        ...file,
        containerDefinitions: [{ ...file.containerDefinitions[0], image: 'web:2' }],
      }),
    ).toEqual(['containerDefinitions[app].image: "web:1" -> "web:2"']);
  });
});

describe('logOptions', () => {
  it.each([
    ['a mapping', { 'awslogs-group': '/ecs/web' }, { 'awslogs-group': '/ecs/web' }],
    [
      'key=value lines, a value keeping everything after its first =',
      'awslogs-group=/ecs/web\nawslogs-datetime-format=%Y=%m',
      { 'awslogs-group': '/ecs/web', 'awslogs-datetime-format': '%Y=%m' },
    ],
    ['a list of key=value', ['mode=non-blocking'], { mode: 'non-blocking' }],
    ['a line without =', 'awslogs-group', undefined],
    ['a number value', { 'max-buffer-size': 4 }, undefined],
  ] as const)('%s', (_name, value, expected) => {
    expect(logOptions(value)).toEqual(expected);
  });
});
