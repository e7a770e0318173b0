/**
 * Faults a test injects into the simulated GitHub API, each answering the next `times` matching
 * requests in place of the API, in the order injected, with the headers and bodies GitHub sends:
 * - `server-error`: 500/502/503 with GitHub's body (`{"message":"Server Error"}`);
 * - `secondary-rate-limit`: 403 with Retry-After and the "secondary rate limit" message;
 * - `rate-limit`: 403 with `x-ratelimit-remaining: 0` and a reset time, no Retry-After;
 * - `forbidden`: 403 "Resource not accessible by integration" (a token without deployments: write);
 * - `reset`: the connection is destroyed without an answer.
 */
export type FaultKind = 'server-error' | 'secondary-rate-limit' | 'rate-limit' | 'forbidden' | 'reset';

export interface GitHubFault {
  kind: FaultKind;
  /** Only requests with this method; default any. */
  method?: string;
  /** Only requests whose path matches; default any. */
  path?: RegExp;
  /** Default 1; `Infinity` for an API that stays down. */
  times?: number;
  /** For server-error: 500 (default), 502 or 503. */
  status?: 500 | 502 | 503;
  /** Retry-After of a secondary rate limit; default 1. */
  retryAfterSeconds?: number;
  /** When a primary rate limit resets, seconds from now; default 3600. */
  resetInSeconds?: number;
}

interface Pending {
  fault: GitHubFault;
  left: number;
}

export class GitHubFaults {
  private readonly pending: Pending[] = [];

  inject(fault: GitHubFault): void {
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new Error(`fault.times must be 1 or more, not ${times}`);
    this.pending.push({ fault, left: times });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** The fault that answers this request, consumed; undefined for a normal answer. */
  take(method: string, path: string): GitHubFault | undefined {
    const match = this.pending.find(
      (entry) =>
        (entry.fault.method === undefined || entry.fault.method === method) &&
        (entry.fault.path === undefined || entry.fault.path.test(path)),
    );
    if (!match) return undefined;
    match.left -= 1;
    if (match.left <= 0) this.pending.splice(this.pending.indexOf(match), 1);
    return match.fault;
  }
}

export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const DOCS = 'https://docs.github.com/rest';

export function faultAnswer(fault: GitHubFault, nowSeconds: number): FaultAnswer | 'reset' {
  switch (fault.kind) {
    case 'reset':
      return 'reset';
    case 'server-error':
      return { status: fault.status ?? 500, headers: {}, body: { message: 'Server Error' } };
    case 'secondary-rate-limit':
      return {
        status: 403,
        headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1), 'x-ratelimit-remaining': '4990' },
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
          documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
          status: '403',
        },
      };
    case 'rate-limit':
      return {
        status: 403,
        headers: {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-reset': String(nowSeconds + (fault.resetInSeconds ?? 3600)),
        },
        body: {
          message: 'API rate limit exceeded for installation ID 1.',
          documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
          status: '403',
        },
      };
    case 'forbidden':
      return {
        status: 403,
        headers: {},
        body: {
          message: 'Resource not accessible by integration',
          documentation_url: `${DOCS}/deployments/deployments#create-a-deployment`,
          status: '403',
        },
      };
  }
}
