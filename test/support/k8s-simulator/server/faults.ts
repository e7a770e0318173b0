import { errors, type ApiError } from '../api/status.ts';

/**
 * Faults a test injects to exercise retries and timeouts. Each answers the next `times` matching
 * requests in place of the API, in the order they were injected: a throttling 429 with
 * Retry-After (what API Priority and Fairness sends), a 500, a 503, an RBAC refusal (403), a reset
 * connection, or a delay before the normal answer.
 */

export interface FaultSpec {
  /** Only requests with this method (`PATCH`); default: any. */
  method?: string;
  /** Only requests whose path (without the query) matches; default: any. */
  path?: RegExp;
  /** Only requests that change something: not a dry run (`dryRun=All`) and not a read. */
  writesOnly?: boolean;
  /** Only requests whose query has these parameters with these values (`fieldSelector`…). */
  query?: Record<string, string>;
  /**
   * Answer with this status and its Status body. 410 is an `Expired` Status as a plain HTTP answer:
   * what some servers and proxies send to a watch instead of the ERROR event the watch cache sends.
   */
  status?: 403 | 410 | 429 | 500 | 503 | 504;
  /** How many requests the fault answers; default 1. */
  times?: number;
  /** `Retry-After` (and `details.retryAfterSeconds`) for a 429; default 1. */
  retryAfterSeconds?: number;
  /** Destroy the connection without answering. */
  resetConnection?: boolean;
  /** Wait this long first; alone, the request is then answered normally. */
  delayMs?: number;
}

export interface Faults {
  inject(fault: FaultSpec): void;
  /** Ends every open watch connection abruptly, mid-stream. */
  dropWatches(): void;
  /** Compacts the watch history: the next watch from any earlier resourceVersion gets 410 Expired. */
  expireWatchHistory(): void;
  /** Removes every pending injected fault. */
  clear(): void;
}

interface Pending {
  fault: FaultSpec;
  left: number;
}

export class FaultQueue {
  private readonly pending: Pending[] = [];

  inject(fault: FaultSpec): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault.times must be 1 or more, not ${times}`);
    if (fault.status === undefined && !fault.resetConnection && fault.delayMs === undefined) {
      throw new Error('a fault needs a status, resetConnection or delayMs');
    }
    this.pending.push({ fault, left: times });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** The fault that answers this request, used up by one. */
  take(
    method: string,
    pathname: string,
    query: URLSearchParams = new URLSearchParams(),
  ): FaultSpec | undefined {
    const write = method !== 'GET' && !query.getAll('dryRun').includes('All');
    const index = this.pending.findIndex(
      ({ fault }) =>
        (fault.method === undefined || fault.method.toUpperCase() === method) &&
        (fault.path === undefined || fault.path.test(pathname)) &&
        (!fault.writesOnly || write) &&
        Object.entries(fault.query ?? {}).every(([name, value]) => query.get(name) === value),
    );
    const entry = this.pending[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left === 0) this.pending.splice(index, 1);
    return entry.fault;
  }
}

/** The error a fault answers with, or undefined when it only delays or resets. */
export function faultError(fault: FaultSpec): ApiError | undefined {
  switch (fault.status) {
    case 403:
      return errors.rbacForbidden();
    case 410:
      return errors.expired('too old resource version');
    case 429:
      return errors.tooManyRequests(fault.retryAfterSeconds ?? 1);
    case 500:
      return errors.internal('injected fault');
    case 503:
      return errors.serviceUnavailable();
    case 504:
      return errors.gatewayTimeout();
    default:
      return undefined;
  }
}
