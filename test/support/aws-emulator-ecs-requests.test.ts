import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { JsonObject } from './aws-emulator/core/protocol.ts';
import { CLUSTER, EcsServiceHarness } from './aws-emulator-ecs-harness.ts';

/**
 * What the ECS emulator offers tests about requests themselves: the request log, ECS's
 * throttling and access-denied answers, and task definitions kept as the raw JSON that was sent,
 * fields the SDK does not model included.
 */

let h: EcsServiceHarness;

beforeEach(async () => {
  h = await EcsServiceHarness.start();
});

afterEach(() => h.close());

/** An ECS call made by hand, as a client with a newer model would send it; the emulator checks the scope, not the signature. */
async function rawEcsCall(
  operation: string,
  body: JsonObject,
): Promise<{ status: number; json: JsonObject }> {
  const response = await fetch(h.emulator.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AmazonEC2ContainerServiceV20141113.${operation}`,
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAEMULATOR0000TEST/20260101/eu-west-1/ecs/aws4_request, SignedHeaders=host, Signature=ab12',
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as JsonObject };
}

describe('the request log', () => {
  it('records each request body as sent: only the members the caller set', async () => {
    await h.createService(await h.register('web:1'));
    const v2 = await h.register('web:2');
    await h.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', taskDefinition: v2 }));
    expect(h.emulator.callsTo('UpdateService').map((call) => call.body)).toEqual([
      { cluster: CLUSTER, service: 'web', taskDefinition: v2 },
    ]);
  });
});

describe('throttling and access denied, as ECS answers them', () => {
  it('throttles with HTTP 400 ThrottlingException "Rate exceeded", which the SDK retries', async () => {
    await h.createService(await h.register('web:1'));
    h.emulator.faults.throttle('DescribeServices', 1);
    const raw = await rawEcsCall('DescribeServices', { cluster: CLUSTER, services: ['web'] });
    expect(raw).toEqual({ status: 400, json: { __type: 'ThrottlingException', message: 'Rate exceeded' } });
    h.emulator.faults.throttle('DescribeServices', 2);
    const output = await h.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['web'] }));
    expect(output.$metadata.attempts).toBe(3);
    expect(output.services![0]!.serviceName).toBe('web');
  });

  it('denies with HTTP 400 AccessDeniedException naming the action, which the SDK does not retry', async () => {
    h.emulator.faults.denyAccess('UpdateService');
    const error = (await h.ecs
      .send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', desiredCount: 1 }))
      .catch((caught: unknown) => caught)) as Error;
    expect(error).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    expect(error.message).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/gantry-deploy/GitHubActions is not authorized to perform: ' +
        'ecs:UpdateService on resource: * because no identity-based policy allows the ecs:UpdateService action',
    );
    expect(h.emulator.callsTo('UpdateService')).toHaveLength(1);
  });
});

describe('task definitions as raw JSON', () => {
  const definition = {
    family: 'web',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'app', image: 'web:1', futureContainerSetting: { mode: 'fast' } }],
  };

  it('keeps fields the SDK does not model, on register and on describe', async () => {
    const futureSetting = { enabled: true, level: 3 };
    const registered = await rawEcsCall('RegisterTaskDefinition', { ...definition, futureSetting });
    expect(registered.status).toBe(200);
    expect(registered.json.taskDefinition).toMatchObject({ futureSetting, revision: 1 });
    const described = await rawEcsCall('DescribeTaskDefinition', { taskDefinition: 'web:1' });
    expect(described.json.taskDefinition).toMatchObject({
      futureSetting,
      containerDefinitions: [expect.objectContaining({ futureContainerSetting: { mode: 'fast' } })],
    });
    // What the raw JSON is for: the SDK's own reading drops what its model lacks.
    const viaSdk = await h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    expect(viaSdk.taskDefinition).not.toHaveProperty('futureSetting');
  });

  it('keeps a field added to the SDK request in its middleware, as an action sending raw JSON does', async () => {
    const client = new ECSClient(h.emulator.clientConfig());
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown; headers: Record<string, string> };
        // The SDK serialises to bytes; a string body is as good for the rest of the stack.
        const sent =
          request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : String(request.body);
        const body = JSON.parse(sent) as JsonObject;
        request.body = JSON.stringify({ ...body, futureSetting: 'on' });
        request.headers['content-length'] = String(Buffer.byteLength(request.body as string));
        return next(args);
      },
      { step: 'build', name: 'addFutureSetting' },
    );
    await client.send(
      new RegisterTaskDefinitionCommand({
        ...definition,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [{ name: 'app', image: 'web:1' }],
      }),
    );
    client.destroy();
    expect(h.emulator.callsTo('RegisterTaskDefinition')[0]!.body).toMatchObject({ futureSetting: 'on' });
    const described = await rawEcsCall('DescribeTaskDefinition', { taskDefinition: 'web' });
    expect(described.json.taskDefinition).toMatchObject({ futureSetting: 'on' });
  });
});
