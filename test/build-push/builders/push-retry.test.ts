import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { classifyPushFailure, pushWithRetry } from '../../../actions/build-push/src/push-retry.ts';
import { Deadline } from '../../../shared/src/async/deadline.ts';
import { CancelledError, DeadlineExceededError } from '../../../shared/src/errors.ts';
import { ExecError } from '../../../shared/src/process/exec.ts';
import { RetryExhaustedError } from '../../../shared/src/async/retry.ts';
import { capture, type Captured } from '../../shared/helpers.ts';

function pushError(...stderr: string[]): ExecError {
  return new ExecError(`"buildah push ..." exited with code 125:\n${stderr.join('\n')}`, 125, stderr);
}

/** Lines as buildah (containers/image), docker buildx (BuildKit) and registries print them. */
const transient: [string, string][] = [
  [
    'writing manifest: uploading manifest 1 to 127.0.0.1:5000/app: received unexpected HTTP status: 503 Service Unavailable',
    'the registry answered with a server error',
  ],
  [
    'failed to push ghcr.io/acme/app:1: unexpected status from PUT request to https://ghcr.io/v2/acme/app/blobs/uploads/x: 502 Bad Gateway',
    'the registry answered with a server error',
  ],
  [
    'failed to copy: httpReadSeeker: failed open: unexpected status code https://r/v2/: 500 Internal Server Error',
    'the registry answered with a server error',
  ],
  ['Error: trying to reuse blob: StatusCode: 504, HTTP 504', 'the registry answered with a server error'],
  ['toomanyrequests: You have reached your pull rate limit.', 'the registry is rate limiting (429)'],
  ['received unexpected HTTP status: 429 Too Many Requests', 'the registry is rate limiting (429)'],
  [
    'pinging container registry r: Get "https://r/v2/": dial tcp 10.0.0.1:443: connect: connection refused',
    'the registry refused the connection',
  ],
  ['write tcp 10.1.0.4:51234->52.1.2.3:443: write: connection reset by peer', 'the connection was reset'],
  ['dial tcp 52.1.2.3:443: i/o timeout', 'the network timed out'],
  ['Get "https://r/v2/": net/http: TLS handshake timeout', 'the TLS handshake timed out'],
  [
    'failed to push r/app:1: failed commit on ref "layer-sha256:ab": unexpected EOF',
    'the connection ended early',
  ],
];

const final: string[] = [
  'checking whether a blob exists in r/app: unauthorized: authentication required',
  'failed to push r/app:1: 401 Unauthorized',
  'denied: requested access to the resource is denied',
  'failed to push r/app:1: unexpected status from PUT request: 403 Forbidden: denied: User cannot push',
  'writing manifest: uploading manifest 1 to r/app: manifest invalid: manifest invalid',
  "name unknown: The repository with name 'app' does not exist in the registry with id '1234'",
  "tag invalid: The image tag '1.0.0' already exists in the 'app' repository and cannot be overwritten because the repository is immutable.",
  'unauthorized: HTTP 503 from the auth service',
  'error building at STEP "COPY missing /": no such file or directory',
  // a digest's hex digits are no status code
  'Copying blob sha256:4503a1b2c3 failed: layer not known',
];

describe('classifyPushFailure', () => {
  it.each(transient)('retries after: %s', (line, reason) => {
    expect(classifyPushFailure(pushError('Getting image source signatures', line))).toEqual({
      transient: true,
      reason,
    });
  });

  it.each(final)('gives up at once after: %s', (line) => {
    expect(classifyPushFailure(pushError(line))).toEqual({ transient: false });
  });

  it('reads the message when the program wrote nothing on stderr', () => {
    const error = new ExecError(
      '"docker buildx build" exited with code 1:\ndial tcp: connection refused',
      1,
      [],
    );
    expect(classifyPushFailure(error)).toEqual({
      transient: true,
      reason: 'the registry refused the connection',
    });
  });

  it('does not read image names on the command line as the failure', () => {
    const error = new ExecError('"buildah push r/immutable-app:503" exited with code 125', 125, [
      'received unexpected HTTP status: 503 Service Unavailable',
    ]);
    expect(classifyPushFailure(error).transient).toBe(true);
  });

  it('never retries what is not a failed program', () => {
    expect(classifyPushFailure(new Error('503 Service Unavailable'))).toEqual({ transient: false });
    expect(classifyPushFailure('connection refused')).toEqual({ transient: false });
  });
});

describe('pushWithRetry', () => {
  let stdout: Captured;
  beforeEach(() => {
    stdout = capture(process.stdout);
  });
  afterEach(() => stdout.restore());

  const warnings = (): string[] =>
    stdout
      .text()
      .split('\n')
      .filter((line) => line.startsWith('::warning::'));

  it('tries again after transient failures and returns the result, logging each retry', async () => {
    let attempts = 0;
    const result = await pushWithRetry(
      'pushing r/app:1 to r',
      async () => {
        attempts++;
        if (attempts < 3) throw pushError('received unexpected HTTP status: 503 Service Unavailable');
        return 'sha256:abc';
      },
      { deadline: new Deadline(10_000, 'the push'), signal: new AbortController().signal },
    );
    expect(result).toBe('sha256:abc');
    expect(attempts).toBe(3);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]).toMatch(
      /^::warning::pushing r\/app:1 to r: attempt 2 failed \(the registry answered with a server error\); trying again in /,
    );
  });

  it('gives up at once on a final failure', async () => {
    let attempts = 0;
    const denied = pushError('unauthorized: authentication required');
    await expect(
      pushWithRetry(
        'pushing r/app:1 to r',
        async () => {
          attempts++;
          throw denied;
        },
        { deadline: new Deadline(10_000, 'the push'), signal: new AbortController().signal },
      ),
    ).rejects.toBe(denied);
    expect(attempts).toBe(1);
    expect(warnings()).toEqual([]);
  });

  it('stops when the deadline leaves no time for another attempt, naming what failed', async () => {
    const started = Date.now();
    const error = await pushWithRetry(
      'pushing r/app:1 to r',
      async () => {
        throw pushError('dial tcp 10.0.0.1:443: connect: connection refused');
      },
      { deadline: new Deadline(1_500, 'the push'), signal: new AbortController().signal },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as Error).message).toMatch(
      /^pushing r\/app:1 to r failed after \d+ attempts in .*, the deadline of 1\.5s/,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('aborts an attempt still running at the deadline, saying why it was retried', async () => {
    let attempts = 0;
    const error = await pushWithRetry(
      'pushing r/app:1 to r',
      (signal) => {
        attempts++;
        if (attempts === 1) return Promise.reject(pushError('write: connection reset by peer'));
        // A push hanging on a dead registry: it ends only when its signal aborts.
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
      { deadline: new Deadline(1_200, 'the push'), signal: new AbortController().signal },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toBe(
      'Timed out after 1.2s waiting for the push: pushing r/app:1 to r (the attempt before failed: the connection was reset).',
    );
  });

  it('stops when the step is cancelled', async () => {
    const controller = new AbortController();
    const pending = pushWithRetry(
      'pushing r/app:1 to r',
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      { deadline: new Deadline(10_000, 'the push'), signal: controller.signal },
    );
    controller.abort(new CancelledError());
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });
});
