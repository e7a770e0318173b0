import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { jobName } from '../../../shared/src/kubernetes/jobs/job-spec.ts';
import { LogTail } from '../../../shared/src/process/log-tail.ts';
import { PodLogs } from '../../../shared/src/kubernetes/jobs/pod-logs.ts';
import type { KubernetesClient, RequestOptions } from '../../../shared/src/kubernetes/client/client.ts';
import { capture, type Captured } from '../helpers.ts';

/**
 * The resume logic of PodLogs against answers as a kubelet gives them: `sinceTime` has whole
 * seconds, so each poll repeats the lines of the last second, which must be printed once.
 */

let stdout: Captured;
beforeEach(() => {
  stdout = capture();
});
afterEach(() => stdout.restore());

const POD = {
  metadata: { name: 'web-migrate-1-x', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' },
  status: { containerStatuses: [{ name: 'app', state: { running: {} } }] },
};

/** A kubelet's log of timestamped lines, answering sinceTime as the API does (to the second). */
function kubelet(lines: [string, string][]): { client: KubernetesClient; since: (string | undefined)[] } {
  const since: (string | undefined)[] = [];
  const client = {
    requestJson: () => Promise.resolve({ items: [POD] }),
    requestText: (options: RequestOptions) => {
      const from = options.query?.sinceTime as string | undefined;
      since.push(from);
      const shown = lines.filter(([stamp]) => from === undefined || stamp.slice(0, 19) >= from.slice(0, 19));
      return Promise.resolve(shown.map(([stamp, text]) => `${stamp} ${text}\n`).join(''));
    },
  } as unknown as KubernetesClient;
  return { client, since };
}

describe('PodLogs', () => {
  it('prints each line once across polls that repeat the last second', async () => {
    const lines: [string, string][] = [
      ['2026-01-01T00:00:01.100000000Z', 'one'],
      ['2026-01-01T00:00:01.200000000Z', 'two'],
    ];
    const { client, since } = kubelet(lines);
    const tail = new LogTail();
    const logs = new PodLogs(client, { namespace: 'shop', selector: 'x=y', container: 'app', tail });
    await logs.poll();
    lines.push(['2026-01-01T00:00:01.2Z', 'three, same instant'], ['2026-01-01T00:00:02.5Z', 'four']);
    await logs.poll();
    await logs.poll();
    expect(tail.text()).toBe('one\ntwo\nthree, same instant\nfour');
    expect(since).toEqual([undefined, '2026-01-01T00:00:01Z', '2026-01-01T00:00:02Z']);
  });

  it('keeps only the tail in memory, however long the log', () => {
    const tail = new LogTail(3);
    for (const line of ['a', 'b', 'c', 'd', 'e']) tail.line(line);
    expect(tail.text()).toBe('c\nd\ne');
    expect(tail.describe()).toBe('Its last 3 of 5 lines:\n  c\n  d\n  e');
    expect(stdout.text()).toBe('a\nb\nc\nd\ne\n');
  });
});

describe('jobName', () => {
  it('stays a 63-character DNS label, whatever the base name', () => {
    expect(jobName('web', 'migrate', 'abc1234')).toBe('web-migrate-abc1234');
    expect(jobName('b'.repeat(80), 'migrate', 'abc1234')).toHaveLength(63);
    // Cut where a hyphen would end the base: the hyphen goes too.
    const long = jobName(`${'a'.repeat(46)}-bbbb`, 'migrate', 'abc1234');
    expect(long).toHaveLength(62);
    expect(long).toMatch(/^a+-migrate-abc1234$/);
  });
});
