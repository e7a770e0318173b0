/**
 * The AWS JSON protocol (awsJson1_1) as ECR, ECS and CloudWatch Logs speak it: every call is a POST
 * to `/` naming its operation in `X-Amz-Target: <prefix>.<Operation>`, with a JSON body either way.
 * Errors are a status code plus `{"__type": ..., "message": ...}` and the same type in
 * `x-amzn-ErrorType`; timestamps are epoch seconds as JSON numbers.
 */

export const JSON_1_1 = 'application/x-amz-json-1.1';

export type JsonObject = Record<string, unknown>;

/** What a handler knows about the caller, from the request's SigV4 credential scope. */
export interface RequestContext {
  region: string;
  accessKeyId: string;
}

export type Operation = (input: JsonObject, context: RequestContext) => JsonObject;

/**
 * One AWS service: adding one (ECS, CloudWatch Logs) is a new file exporting this, nothing else.
 */
export interface AwsService {
  /** `ecr`: the SigV4 signing name, which the request's credential scope must carry. */
  name: string;
  /** `AmazonEC2ContainerRegistry_V20150921.`, with the dot. */
  targetPrefix: string;
  /** The type an injected 5xx fault answers with by default: the service's modelled server error. */
  serverErrorType: string;
  operations: Record<string, Operation>;
}

/** An error the service answers with: thrown by handlers, sent by the server. */
export class AwsServiceError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string | undefined, status = 400) {
    super(message);
    this.name = 'AwsServiceError';
    this.type = type;
    this.status = status;
  }

  body(): JsonObject {
    return this.message === '' ? { __type: this.type } : { __type: this.type, message: this.message };
  }
}

/** Errors raised by AWS's common front end rather than the service carry Coral's namespace. */
export const COMMON = 'com.amazon.coral.service#';

export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}
