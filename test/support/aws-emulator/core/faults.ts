import { AwsServiceError } from './protocol.ts';

/**
 * Faults a test injects to exercise retries and timeouts: each answers the next `times` calls
 * (of one operation, or of any) in place of the service, in the order they were injected.
 */

export interface FaultSpec {
  /** Only calls of this operation (`GetAuthorizationToken`); default: any call. */
  operation?: string;
  /** Answer with this status: 429, 500, 503... Default: 400 with `errorType`, else 500. */
  status?: number;
  /** `__type` of the answer. Default: ThrottlingException for 429, the service's server error for 5xx. */
  errorType?: string;
  times: number;
  /** Send `Retry-After: <seconds>` with the error. */
  retryAfterSeconds?: number;
  /** Destroy the connection without answering, as a crashing load balancer does. */
  resetConnection?: boolean;
  /**
   * With resetConnection: do the work first, then drop the answer, so the client cannot know that
   * the call succeeded (a non-idempotent call repeated blindly would be done twice).
   */
  afterServing?: boolean;
  /** Wait this long first; alone, the call is then answered normally (a slow service). */
  delayMs?: number;
  /** The error's message; default `Injected fault: <type>`. */
  message?: string;
  /** Answer with AWS's own message for the type (`Rate exceeded`, IAM's denial naming the action). */
  awsMessage?: boolean;
}

export interface Faults {
  inject(fault: FaultSpec): void;
  /** The next `times` calls of `operation` get ThrottlingException `Rate exceeded` (HTTP 400, as ECS sends it). */
  throttle(operation: string, times: number): void;
  /** The next `times` calls of `operation` get AccessDeniedException (HTTP 400) with IAM's message. */
  denyAccess(operation: string, times?: number): void;
}

export class FaultQueue implements Faults {
  private readonly pending: { fault: FaultSpec; left: number }[] = [];

  inject(fault: FaultSpec): void {
    if (!Number.isInteger(fault.times) || fault.times < 1) {
      throw new Error(`fault.times must be 1 or more, not ${fault.times}`);
    }
    const status = fault.status ?? 0;
    if (status >= 400 && status < 500 && status !== 429 && !fault.errorType) {
      throw new Error(`a ${status} fault needs an errorType: which error should the client see?`);
    }
    this.pending.push({ fault, left: fault.times });
  }

  throttle(operation: string, times: number): void {
    this.inject({ operation, errorType: 'ThrottlingException', times, awsMessage: true });
  }

  denyAccess(operation: string, times = 1): void {
    this.inject({ operation, errorType: 'AccessDeniedException', times, awsMessage: true });
  }

  /** The fault that answers this call, used up by one. */
  take(operation: string): FaultSpec | undefined {
    const index = this.pending.findIndex(
      (entry) => entry.fault.operation === undefined || entry.fault.operation === operation,
    );
    const entry = this.pending[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left === 0) this.pending.splice(index, 1);
    return entry.fault;
  }
}

/** Who the emulator says the caller is, in an AccessDeniedException. */
export interface Caller {
  accountId: string;
  /** The signing name (`ecs`), the IAM action's prefix. */
  service: string;
  operation: string;
}

/** The error a fault answers with, or undefined when it only delays or drops the call. */
export function faultError(
  fault: FaultSpec,
  serverErrorType: string,
  caller: Caller,
): AwsServiceError | undefined {
  if (fault.resetConnection) return undefined;
  if (fault.status === undefined && fault.errorType === undefined && fault.retryAfterSeconds === undefined) {
    return undefined;
  }
  const status = fault.status ?? (fault.errorType ? 400 : 500);
  const type = fault.errorType ?? (status === 429 ? 'ThrottlingException' : serverErrorType);
  return new AwsServiceError(
    type,
    fault.message ?? (fault.awsMessage ? awsMessage(type, caller) : `Injected fault: ${type}`),
    status,
  );
}

function awsMessage(type: string, { accountId, service, operation }: Caller): string {
  const action = `${service}:${operation}`;
  switch (type) {
    case 'ThrottlingException':
      return 'Rate exceeded';
    case 'AccessDeniedException':
      return (
        `User: arn:aws:sts::${accountId}:assumed-role/gantry-deploy/GitHubActions is not authorized to perform: ` +
        `${action} on resource: * because no identity-based policy allows the ${action} action`
      );
    default:
      return `Injected fault: ${type}`;
  }
}
