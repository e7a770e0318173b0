import type { JsonObject } from '../store/json.ts';

/**
 * Errors as the API server sends them: a `Status` object (kind Status, apiVersion v1, status
 * Failure) whose `reason`, `code` and `details` clients switch on. The messages follow
 * k8s.io/apimachinery/pkg/api/errors word for word, because tools print them to users.
 */

/** StatusCause on the wire: its Go field `Type` is serialised as `reason`. */
export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** What a resource is called in messages: `deployments.apps`, or `pods` for the core group. */
export interface Qualified {
  group: string;
  resource: string;
  kind: string;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: number,
    reason: string,
    message: string,
    details?: StatusDetails,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.headers = headers;
  }

  body(): JsonObject {
    return statusBody(this.code, this.reason, this.message, this.details);
  }
}

export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): JsonObject {
  const body: JsonObject = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
  };
  if (details) body.details = JSON.parse(JSON.stringify(details)) as JsonObject;
  body.code = code;
  return body;
}

/** The Status a successful DELETE of an immediately removed object answers with. */
export function successStatus(details: StatusDetails): JsonObject {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: JSON.parse(JSON.stringify(details)) as JsonObject,
  };
}

function qualifiedName(target: Qualified): string {
  return target.group ? `${target.resource}.${target.group}` : target.resource;
}

function detailsOf(target: Qualified, name: string): StatusDetails {
  return target.group
    ? { name, group: target.group, kind: target.resource }
    : { name, kind: target.resource };
}

export const errors = {
  notFound: (target: Qualified, name: string): ApiError =>
    new ApiError(404, 'NotFound', `${qualifiedName(target)} "${name}" not found`, detailsOf(target, name)),

  /** A path no resource serves: what the server answers for an unknown group, version or resource. */
  unknownPath: (): ApiError =>
    new ApiError(404, 'NotFound', 'the server could not find the requested resource', {}),

  alreadyExists: (target: Qualified, name: string): ApiError =>
    new ApiError(
      409,
      'AlreadyExists',
      `${qualifiedName(target)} "${name}" already exists`,
      detailsOf(target, name),
    ),

  /** An update based on a stale resourceVersion. */
  conflict: (target: Qualified, name: string): ApiError =>
    new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedName(target)} "${name}": the object has been modified; ` +
        'please apply your changes to the latest version and try again',
      detailsOf(target, name),
    ),

  invalid: (target: Qualified, name: string, causes: FieldError[]): ApiError => {
    const kind = target.group ? `${target.kind}.${target.group}` : target.kind;
    const summary =
      causes.length === 1 ? causes[0]!.text : `[${causes.map((cause) => cause.text).join(', ')}]`;
    const details: StatusDetails = {
      name,
      ...(target.group ? { group: target.group } : {}),
      kind: target.kind,
      causes: causes.map((cause) => ({ reason: cause.reason, message: cause.message, field: cause.field })),
    };
    return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${summary}`, details);
  },

  badRequest: (message: string): ApiError => new ApiError(400, 'BadRequest', message),

  /** What the RBAC authorizer answers a user who may not do this. */
  rbacForbidden: (): ApiError =>
    new ApiError(
      403,
      'Forbidden',
      'User "system:serviceaccount:ci:deployer" cannot do this to the requested resource (injected fault)',
    ),

  methodNotAllowed: (): ApiError =>
    new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),

  unsupportedMediaType: (contentType: string, accepted: string[]): ApiError =>
    new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
      { causes: [{ message: contentType }] },
    ),

  expired: (message: string): ApiError => new ApiError(410, 'Expired', message),

  unauthorized: (): ApiError => new ApiError(401, 'Unauthorized', 'Unauthorized'),

  tooManyRequests: (retryAfterSeconds: number): ApiError =>
    new ApiError(
      429,
      'TooManyRequests',
      'Too many requests, please try again later.',
      { retryAfterSeconds },
      { 'retry-after': String(retryAfterSeconds) },
    ),

  internal: (cause: string): ApiError =>
    new ApiError(500, 'InternalError', `Internal error occurred: ${cause}`, { causes: [{ message: cause }] }),

  serviceUnavailable: (): ApiError =>
    new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', {}),

  gatewayTimeout: (): ApiError =>
    new ApiError(
      504,
      'Timeout',
      'the server was unable to return a response in the time allotted, but may still be processing the request',
      {},
    ),
};

/** One field problem of a 422, as field/validation.Error renders it. */
export interface FieldError {
  field: string;
  /** FieldValueRequired, FieldValueInvalid, FieldValueForbidden, FieldValueNotSupported, FieldValueDuplicate. */
  reason: string;
  message: string;
  /** The whole line: `spec.template.spec.containers[0].image: Required value`. */
  text: string;
}

export const fieldErrors = {
  required: (field: string, detail = ''): FieldError => ({
    field,
    reason: 'FieldValueRequired',
    message: detail ? `Required value: ${detail}` : 'Required value',
    text: `${field}: Required value${detail ? `: ${detail}` : ''}`,
  }),
  invalid: (field: string, value: unknown, detail: string): FieldError => ({
    field,
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
    text: `${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`,
  }),
  forbidden: (field: string, detail: string): FieldError => ({
    field,
    reason: 'FieldValueForbidden',
    message: `Forbidden: ${detail}`,
    text: `${field}: Forbidden: ${detail}`,
  }),
  notSupported: (field: string, value: unknown, supported: string[]): FieldError => {
    const detail = `supported values: ${supported.map((item) => `"${item}"`).join(', ')}`;
    return {
      field,
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(value)}: ${detail}`,
      text: `${field}: Unsupported value: ${JSON.stringify(value)}: ${detail}`,
    };
  },
  notFound: (field: string, value: unknown): FieldError => ({
    field,
    reason: 'FieldValueNotFound',
    message: `Not found: ${JSON.stringify(value)}`,
    text: `${field}: Not found: ${JSON.stringify(value)}`,
  }),
  duplicate: (field: string, value: unknown): FieldError => ({
    field,
    reason: 'FieldValueDuplicate',
    message: `Duplicate value: ${JSON.stringify(value)}`,
    text: `${field}: Duplicate value: ${JSON.stringify(value)}`,
  }),
};
