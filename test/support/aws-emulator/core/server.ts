import { randomUUID } from 'node:crypto';
import {
  startHttpService,
  type HttpService,
  type RecordedRequest,
  type ScriptedResponse,
} from '../../http-service.ts';
import { authenticate } from './auth.ts';
import { faultError, type FaultQueue } from './faults.ts';
import { AwsServiceError, COMMON, JSON_1_1, type AwsService, type JsonObject } from './protocol.ts';

/**
 * The router: one endpoint for every service, dispatching on the `X-Amz-Target` prefix, so a new
 * service is a new entry in `services` and nothing here changes. Every call is recorded before it
 * is answered, faulted or not, so tests can count what the client really sent.
 */

export interface AwsCall {
  /** The service's signing name (`ecr`), or `unknown` for a target no service owns. */
  service: string;
  operation: string;
  body: JsonObject;
}

export async function startAwsServer(
  services: AwsService[],
  faults: FaultQueue,
  calls: AwsCall[],
  accountId: string,
): Promise<HttpService> {
  const answer = (request: RecordedRequest): ScriptedResponse => {
    const target = header(request, 'x-amz-target') ?? '';
    const service = services.find((candidate) => target.startsWith(candidate.targetPrefix));
    const operation = service ? target.slice(service.targetPrefix.length) : target;
    const body = parseBody(request.body);
    calls.push({ service: service?.name ?? 'unknown', operation, body: body ?? {} });

    const fault = faults.take(operation);
    if (fault?.resetConnection) {
      if (fault.afterServing) serve(service, operation, body, request);
      return { delayMs: fault.delayMs, destroy: true };
    }
    const injected =
      fault &&
      faultError(fault, service?.serverErrorType ?? 'InternalFailure', {
        accountId,
        service: service?.name ?? 'unknown',
        operation,
      });
    const response = injected
      ? errorResponse(injected, fault.retryAfterSeconds)
      : serve(service, operation, body, request);
    // A delay alone answers normally, late: the work is done, as on a slow service.
    return { ...response, delayMs: fault?.delayMs };
  };
  return startHttpService({ routes: { '/': answer } });
}

function serve(
  service: AwsService | undefined,
  operation: string,
  body: JsonObject | undefined,
  request: RecordedRequest,
): ScriptedResponse {
  try {
    if (request.method !== 'POST' || !service || !Object.hasOwn(service.operations, operation)) {
      // The real front end answers an unknown target with no message at all.
      throw new AwsServiceError(`${COMMON}UnknownOperationException`, undefined);
    }
    const context = authenticate(header(request, 'authorization'), service.name);
    if (body === undefined) {
      throw new AwsServiceError(
        'SerializationException',
        'Start of structure or map found where not expected.',
      );
    }
    return jsonResponse(200, service.operations[operation]!(body, context));
  } catch (error) {
    if (error instanceof AwsServiceError) return errorResponse(error);
    // A bug in the emulator: answered like AWS's own internal failure, with the cause to debug it.
    return errorResponse(new AwsServiceError('InternalFailure', String(error), 500));
  }
}

function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseBody(text: string): JsonObject | undefined {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

function jsonResponse(
  status: number,
  body: JsonObject,
  headers: Record<string, string> = {},
): ScriptedResponse {
  return {
    status,
    headers: { 'content-type': JSON_1_1, 'x-amzn-requestid': randomUUID(), ...headers },
    body: JSON.stringify(body),
  };
}

function errorResponse(error: AwsServiceError, retryAfterSeconds?: number): ScriptedResponse {
  const headers: Record<string, string> = { 'x-amzn-errortype': error.type.replace(COMMON, '') };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  return jsonResponse(error.status, error.body(), headers);
}
