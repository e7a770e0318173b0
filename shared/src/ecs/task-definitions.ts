import { Readable } from 'node:stream';
import { awsErrorName } from '../aws.ts';
import { ActionError } from '../errors.ts';
import { ecsCall, type Ecs } from './client.ts';

/**
 * Task definitions as raw JSON. The SDK's serialiser drops every member its model does not know,
 * on the way out and on the way back: a bundled SDK older than an ECS feature would silently drop
 * a user's new setting from the revision, and the change comparison would never see it. So these
 * calls keep the SDK's command (signing, retries, endpoint, errors) and swap only the bodies: the
 * request body is replaced after the serialiser ran, and the response body is read before the
 * deserialiser parses it.
 */

export type TaskDefinitionJson = Record<string, unknown>;

export interface DescribedTaskDefinition {
  taskDefinition: TaskDefinitionJson;
  tags: { key: string; value: string }[];
}

/** What DescribeTaskDefinition returns that RegisterTaskDefinition refuses or ignores. */
export const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

export function registrable(definition: TaskDefinitionJson): TaskDefinitionJson {
  const copy = { ...definition };
  for (const field of READ_ONLY_FIELDS) delete copy[field];
  return copy;
}

/** `family`, `family:revision` or an ARN; undefined when it does not exist (ClientException). */
export async function describeTaskDefinition(
  ecs: Ecs,
  reference: string,
  signal?: AbortSignal,
): Promise<DescribedTaskDefinition | undefined> {
  try {
    const raw = await sendRaw(
      ecs,
      new ecs.sdk.DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }),
      undefined,
      signal,
    );
    const taskDefinition = raw.taskDefinition;
    if (!isObject(taskDefinition))
      throw new ActionError(`DescribeTaskDefinition returned no task definition for ${reference}.`);
    return {
      taskDefinition,
      tags: Array.isArray(raw.tags) ? (raw.tags as DescribedTaskDefinition['tags']) : [],
    };
  } catch (error) {
    if (awsErrorName((error as { cause?: unknown }).cause) === 'ClientException') return undefined;
    throw error;
  }
}

export async function registerTaskDefinition(
  ecs: Ecs,
  definition: TaskDefinitionJson,
  tags: { key: string; value: string }[],
  signal?: AbortSignal,
): Promise<TaskDefinitionJson> {
  const body = { ...registrable(definition), ...(tags.length > 0 && { tags }) };
  // The modelled part goes through the command as usual; the raw body replaces what it serialised.
  const command = new ecs.sdk.RegisterTaskDefinitionCommand(
    body as unknown as ConstructorParameters<Ecs['sdk']['RegisterTaskDefinitionCommand']>[0],
  );
  const raw = await sendRaw(ecs, command, JSON.stringify(body), signal);
  if (!isObject(raw.taskDefinition))
    throw new ActionError('RegisterTaskDefinition returned no task definition.');
  return raw.taskDefinition;
}

interface MiddlewareCommand {
  middlewareStack: {
    addRelativeTo(
      middleware: unknown,
      options: { relation: 'before' | 'after'; toMiddleware: string; name: string },
    ): void;
  };
}

type AnyHandler = (args: {
  request?: unknown;
  input?: unknown;
}) => Promise<{ response: unknown; output: unknown }>;

/** Sends `command` with `body` as its request body (when given) and returns the raw response JSON. */
async function sendRaw(
  ecs: Ecs,
  command: object,
  body: string | undefined,
  signal: AbortSignal | undefined,
): Promise<Record<string, unknown>> {
  const operation = command.constructor.name.replace(/Command$/, '');
  const stack = (command as MiddlewareCommand).middlewareStack;
  if (body !== undefined) {
    stack.addRelativeTo(
      (next: AnyHandler) => async (args: { request?: unknown }) => {
        (args.request as { body: string }).body = body;
        return next(args);
      },
      { relation: 'after', toMiddleware: 'serializerMiddleware', name: 'gantryRawJsonRequest' },
    );
  }
  let text: string | undefined;
  stack.addRelativeTo(
    (next: AnyHandler) => async (args: object) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      if (response.statusCode !== undefined && response.statusCode < 300 && response.body) {
        const bytes = await readAll(response.body as AsyncIterable<Uint8Array>);
        text = bytes.toString('utf8');
        // The deserialiser still reads the body: it gets the same bytes.
        response.body = Readable.from([bytes]);
      }
      return result;
    },
    { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'gantryRawJsonResponse' },
  );
  await ecsCall(operation, () =>
    ecs.client.send(command as Parameters<Ecs['client']['send']>[0], { abortSignal: signal }),
  );
  if (text === undefined) throw new ActionError(`${operation} returned no body.`);
  const parsed: unknown = JSON.parse(text);
  return isObject(parsed) ? parsed : {};
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
