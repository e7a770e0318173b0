import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAnalysisNeeds, readAnalysis } from '../../shared/src/analysis/index.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';
import { capture, type Captured } from '../shared/helpers.ts';

/** Reading the `analysis` input: defaults, each kind of check, and every kind of mistake. */

let workspace: string;
let stdout: Captured;
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'analysis-'));
  stdout = capture();
});
afterEach(() => {
  stdout.restore();
  rmSync(workspace, { recursive: true, force: true });
});

const read = (yaml: string) => readAnalysis(yaml, 'analysis', { workspace });
const PROM = 'prometheus: {address: "http://prom:9090", query: up, success-condition: result == 1}';
const JOB = `apiVersion: batch/v1
kind: Job
metadata: {name: e2e}
spec:
  template:
    spec:
      containers: [{name: test, image: e2e:1}]`;

describe('readAnalysis', () => {
  it('answers undefined for an empty or blank input', () => {
    expect(read('')).toBeUndefined();
    expect(read('  \n ')).toBeUndefined();
  });

  it('applies the documented defaults', () => {
    const plan = read(`checks:\n  - name: up\n    ${PROM}`);
    expect(plan?.settings).toEqual({
      intervalMs: 10_000,
      count: 3,
      failureLimit: 0,
      inconclusiveLimit: 0,
      consecutiveSuccesses: undefined,
      timeoutMs: 600_000,
    });
    expect(read(`consecutive-successes: 5\nchecks:\n  - name: up\n    ${PROM}`)?.settings.count).toBe(5);
  });

  it('reads all three kinds, with placeholders, a job file and an inline job', () => {
    writeFileSync(join(workspace, 'job.yaml'), JOB);
    const plan = read(`
interval: 200ms
count: 4
failure-limit: 1
consecutive-successes: 2
inconclusive-limit: 1
timeout: 1m
checks:
  - name: health
    smoke-test:
      url: http://\${service}.\${namespace}:\${port}/health
      body-contains: ok
      json-path: $.status
      json-equals: ok
      headers: {X-Revision: "\${revision}"}
  - name: errors
    ${PROM}
  - name: e2e
    job: job.yaml
  - name: inline
    job:
${JOB.replace(/^/gm, '      ')}
`);
    expect(plan?.settings).toEqual({
      intervalMs: 200,
      count: 4,
      failureLimit: 1,
      inconclusiveLimit: 1,
      consecutiveSuccesses: 2,
      timeoutMs: 60_000,
    });
    expect(plan?.checks.map((check) => [check.name, check.kind])).toEqual([
      ['health', 'smoke-test'],
      ['errors', 'prometheus'],
      ['e2e', 'job'],
      ['inline', 'job'],
    ]);
    const health = plan?.checks[0];
    expect(health?.kind === 'smoke-test' && health.spec).toMatchObject({
      contains: ['ok'],
      json: [{ path: '$.status', equals: 'ok' }],
    });
    expect(plan?.checks[2]).toMatchObject({ origin: 'the file job.yaml', container: 'test' });
  });

  it('masks prometheus credentials the moment they are read, and the basic auth header', () => {
    read(`checks:
  - name: a
    prometheus: {address: "http://p:9090", query: up, success-condition: result == 1, bearer-token: tok-en-123}
  - name: b
    prometheus: {address: "http://p:9090", query: up, success-condition: result == 1, username: ann, password: pass-456}`);
    expect(stdout.text()).toContain('::add-mask::tok-en-123');
    expect(stdout.text()).toContain('::add-mask::pass-456');
    expect(stdout.text()).toContain(`::add-mask::${Buffer.from('ann:pass-456').toString('base64')}`);
  });
});

/** [what, YAML, the message's expected parts]: each names the input, the field path, the value and what is accepted. */
const BAD: [string, string, RegExp][] = [
  ['not YAML', 'checks: [', /^Input "analysis" is not valid YAML: /],
  [
    'a list at the top',
    '- name: a',
    /^Input "analysis" must be a mapping of run settings \(interval, count, failure-limit, consecutive-successes, inconclusive-limit, timeout\) and a checks list; got a list\.$/,
  ],
  [
    'an unknown setting',
    `samples: 3\nchecks:\n  - name: a\n    ${PROM}`,
    /^Input "analysis", the run settings: unknown field "samples"; the top level accepts interval, count, failure-limit, consecutive-successes, inconclusive-limit, timeout, checks\.$/,
  ],
  [
    'no checks',
    'count: 2',
    /^Input "analysis": "checks" must be a non-empty list of checks, each a name and one of smoke-test, prometheus, job; got an empty value\.$/,
  ],
  [
    'checks not a list',
    'checks: {name: a}',
    /^Input "analysis": "checks" must be a non-empty list .*; got a mapping\.$/,
  ],
  [
    'a check that is a string',
    'checks: [up]',
    /^Input "analysis": "checks\[0\]" must be a mapping with a name and one of smoke-test, prometheus, job; got the text "up"\.$/,
  ],
  [
    'a bare-number interval',
    `interval: 10\nchecks:\n  - name: a\n    ${PROM}`,
    /^Input "analysis", the run settings: "interval" has an invalid value 10: expected a duration with a unit like 200ms, 10s or 1m, from 0ms to 1h\.$/,
  ],
  [
    'failure-limit not below the default count',
    `failure-limit: 3\nchecks:\n  - name: a\n    ${PROM}`,
    /"failure-limit" has an invalid value 3: must be less than count \(3, the default\), or no failure could fail a check\.$/,
  ],
  [
    'a bad duration',
    `timeout: soon\nchecks:\n  - name: a\n    ${PROM}`,
    /"timeout" has an invalid value "soon": expected a duration with a unit/,
  ],
  [
    'a negative count',
    `count: -1\nchecks:\n  - name: a\n    ${PROM}`,
    /"count" has an invalid value -1: expected a whole number from 1 to 1000\.$/,
  ],
  [
    'a fractional failure-limit',
    `failure-limit: 0.5\nchecks:\n  - name: a\n    ${PROM}`,
    /"failure-limit" has an invalid value 0\.5: expected a whole number from 0 to 1000\.$/,
  ],
  [
    'failure-limit not below count',
    `count: 2\nfailure-limit: 2\nchecks:\n  - name: a\n    ${PROM}`,
    /"failure-limit" has an invalid value 2: must be less than count \(2\), or no failure could fail a check\.$/,
  ],
  [
    'consecutive-successes above count',
    `count: 2\nconsecutive-successes: 3\nchecks:\n  - name: a\n    ${PROM}`,
    /"consecutive-successes" has an invalid value 3: must be at most count \(2\)/,
  ],
  [
    'a timeout shorter than the rounds',
    `interval: 1m\ncount: 3\ntimeout: 90s\nchecks:\n  - name: a\n    ${PROM}`,
    /"timeout" has an invalid value "1m30s": must be longer than the 2m the rounds need \(3 rounds 1m apart\)\.$/,
  ],
  [
    'a check without a name',
    `checks:\n  - ${PROM}`,
    /^Input "analysis", checks\[0\]: "checks\[0\]\.name" has an invalid value null: every check needs a name/,
  ],
  [
    'duplicate names',
    `checks:\n  - name: a\n    ${PROM}\n  - name: a\n    ${PROM}`,
    /^Input "analysis": "checks\[1\]\.name" has the value "a", already the name of checks\[0\]: give the checks distinct names\.$/,
  ],
  [
    'an unknown check field',
    `checks:\n  - name: a\n    ${PROM}\n    retries: 2`,
    /^Input "analysis", checks\[0\]: unknown field "checks\[0\]\.retries"; a check accepts name, smoke-test, prometheus, job\.$/,
  ],
  [
    'two kinds in one check',
    `checks:\n  - name: a\n    ${PROM}\n    job: job.yaml`,
    /^Input "analysis", check "a": "checks\[0\]" has prometheus and job; a check has exactly one of smoke-test, prometheus, job\.$/,
  ],
  [
    'no kind',
    `checks:\n  - name: a`,
    /"checks\[0\]" has no kind; a check has exactly one of smoke-test, prometheus, job\.$/,
  ],
  [
    'a prometheus check that is a string',
    `checks:\n  - name: a\n    prometheus: up`,
    /^Input "analysis": "checks\[0\]\.prometheus" must be a mapping of the prometheus check's fields; got the text "up"\.$/,
  ],
  [
    'a missing query',
    `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", success-condition: result < 1}`,
    /^Input "analysis", check "a": "checks\[0\]\.prometheus\.query" has an invalid value null: expected a PromQL query/,
  ],
  [
    'a missing address',
    `checks:\n  - name: a\n    prometheus: {query: up, success-condition: result < 1}`,
    /"checks\[0\]\.prometheus\.address" has an invalid value null: expected the Prometheus server URL/,
  ],
  [
    'an address that is no URL',
    `checks:\n  - name: a\n    prometheus: {address: "prom:9090/x y", query: up, success-condition: result < 1}`,
    /"checks\[0\]\.prometheus\.address" has an invalid value "prom:9090\/x y": expected an (absolute )?http/,
  ],
  [
    'credentials in the address',
    `checks:\n  - name: a\n    prometheus: {address: "http://u:secret1@p:9090", query: up, success-condition: result < 1}`,
    /"checks\[0\]\.prometheus\.address" has an invalid value "\(not shown: it holds credentials\)": put credentials in username and password or bearer-token/,
  ],
  [
    'no condition',
    `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", query: up}`,
    /"checks\[0\]\.prometheus\.success-condition" has an invalid value null: a prometheus check needs success-condition, failure-condition or both/,
  ],
  [
    'a condition syntax error',
    `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", query: up, success-condition: "result <"}`,
    /"checks\[0\]\.prometheus\.success-condition" has an invalid value "result <": expected result or a number but found the end; expected comparisons of result/,
  ],
  [
    'Argo-style result\\[0\\]',
    `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", query: up, failure-condition: "result[0] > 1"}`,
    /"checks\[0\]\.prometheus\.failure-condition" has an invalid value "result\[0\] > 1": unknown name "result\[0\]": the only name is result/,
  ],
  [
    'a condition that never reads result',
    `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", query: up, success-condition: "1 < 2"}`,
    /has an invalid value "1 < 2": the condition never reads result/,
  ],
  [
    'bearer token and basic auth',
    `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", query: up, success-condition: result < 1, bearer-token: tok-abc, username: u, password: pw-abc}`,
    /"checks\[0\]\.prometheus\.bearer-token" has an invalid value "\(not shown\)": give bearer-token or username and password, not both/,
  ],
  [
    'a username without a password',
    `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", query: up, success-condition: result < 1, username: u}`,
    /"checks\[0\]\.prometheus\.password" has an invalid value null: basic auth needs both username and password/,
  ],
  [
    'a bearer token with a line break (a block scalar keeps it; undici refuses the header later)',
    `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", query: up, success-condition: result < 1, bearer-token: "tok-abc-123\\n"}`,
    /"checks\[0\]\.prometheus\.bearer-token" has an invalid value "\(not shown\)": expected a non-empty string without line breaks or control characters: it is sent as a header/,
  ],
  [
    'a placeholder in a bearer token (placeholders are filled in address and query only)',
    `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", query: up, success-condition: result < 1, bearer-token: "\${token}"}`,
    /"checks\[0\]\.prometheus\.bearer-token" has an invalid value "\(not shown\)": a \$\{name\} placeholder is filled in address and query only, and would be sent as written; give the credential itself, like \$\{\{ secrets\.PROMETHEUS_TOKEN \}\}/,
  ],
  [
    'a placeholder in a username',
    `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", query: up, success-condition: result < 1, username: "\${user}", password: pw-abc}`,
    /"checks\[0\]\.prometheus\.username" has an invalid value "\$\{user\}": a \$\{name\} placeholder is filled in address and query only/,
  ],
  [
    'a username with a colon (basic auth splits at the first one)',
    `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", query: up, success-condition: result < 1, username: "ann:x", password: pw-abc}`,
    /"checks\[0\]\.prometheus\.username" has an invalid value "ann:x": expected a user name without a colon: basic auth ends the user name at the first colon/,
  ],
  [
    'an unknown prometheus field',
    `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", query: up, success-condition: result < 1, token: abc}`,
    /unknown field "checks\[0\]\.prometheus\.token"; a prometheus check accepts address, query, success-condition, failure-condition, bearer-token, username, password, timeout, insecure\.$/,
  ],
  [
    'a smoke-test check without a url',
    `checks:\n  - name: a\n    smoke-test: {status: 200}`,
    /^Input "analysis", check "a": "checks\[0\]\.smoke-test\.url" has an invalid value null: every check needs a url\.$/,
  ],
  [
    'a smoke-test url that is not http',
    `checks:\n  - name: a\n    smoke-test: {url: "ftp://x/"}`,
    /"checks\[0\]\.smoke-test\.url" has an invalid value "ftp:\/\/x\/": expected an http:\/\/ or https:\/\/ URL\.$/,
  ],
  [
    'a smoke-test sampling field',
    `checks:\n  - name: a\n    smoke-test: {url: "http://x/", samples: 5}`,
    /"checks\[0\]\.smoke-test\.samples" has an invalid value 5: an analysis sets count once, at the top, for every check\.$/,
  ],
  [
    'contains and body-contains',
    `checks:\n  - name: a\n    smoke-test: {url: "http://x/", contains: a, body-contains: b}`,
    /"checks\[0\]\.smoke-test\.body-contains" has an invalid value "b": give contains or body-contains, not both/,
  ],
  [
    'a bad status',
    `checks:\n  - name: a\n    smoke-test: {url: "http://x/", status: 700}`,
    /"checks\[0\]\.smoke-test\.status" has an invalid value 700: expected HTTP statuses from 100 to 599/,
  ],
  [
    'a json-path without $',
    `checks:\n  - name: a\n    smoke-test: {url: "http://x/", json-path: status}`,
    /"checks\[0\]\.smoke-test\.json-path" has an invalid value "status": expected a JSONPath starting with \$/,
  ],
  [
    'json-equals alone',
    `checks:\n  - name: a\n    smoke-test: {url: "http://x/", json-equals: 1}`,
    /"checks\[0\]\.smoke-test\.json-equals" has an invalid value 1: needs json-path beside it\.$/,
  ],
  [
    'an unknown smoke-test field',
    `checks:\n  - name: a\n    smoke-test: {url: "http://x/", expect: 200}`,
    /unknown field "checks\[0\]\.smoke-test\.expect"; a smoke-test check accepts url, method, headers/,
  ],
  [
    'a missing job file',
    `checks:\n  - name: a\n    job: jobs/missing.yaml`,
    /^Input "analysis", check "a": "checks\[0\]\.job" has an invalid value "jobs\/missing\.yaml": the file .*jobs\/missing\.yaml cannot be read \(ENOENT\); expected a Job manifest file, relative to the workspace/,
  ],
  [
    'a job that is a number',
    `checks:\n  - name: a\n    job: 3`,
    /"checks\[0\]\.job" has an invalid value 3: expected a Job manifest file path \(relative to the workspace\) or an inline Job manifest\.$/,
  ],
  [
    'an inline manifest that is a Pod',
    `checks:\n  - name: a\n    job: {apiVersion: v1, kind: Pod}`,
    /^Input "analysis", check "a": an inline manifest is not a usable Job manifest: apiVersion is "v1" and kind "Pod"; expected batch\/v1 and Job\.$/,
  ],
  [
    'a Job without containers',
    `checks:\n  - name: a\n    job: {apiVersion: batch/v1, kind: Job, spec: {template: {spec: {}}}}`,
    /not a usable Job manifest: spec\.template\.spec\.containers must list at least one container with a name and an image\.$/,
  ],
  [
    'restartPolicy Always',
    `checks:\n  - name: a\n    job: {apiVersion: batch/v1, kind: Job, spec: {template: {spec: {restartPolicy: Always, containers: [{name: t, image: i}]}}}}`,
    /restartPolicy is "Always"; a Job accepts Never or OnFailure\.$/,
  ],
];

describe('readAnalysis refuses bad input', () => {
  it.each(BAD)('%s', (_what, yaml, message) => {
    let thrown: unknown;
    try {
      read(yaml);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).message).toMatch(message);
    expect((thrown as ConfigurationError).input).toBe('analysis');
  });

  it('never shows a credential in a message', () => {
    const yaml = `checks:\n  - name: a\n    prometheus: {address: "http://p:9090", query: up, success-condition: result <, bearer-token: hidden-tok-987}`;
    expect(() => read(yaml)).toThrow(ConfigurationError);
    try {
      read(yaml);
    } catch (error) {
      expect((error as Error).message).not.toContain('hidden-tok-987');
    }
  });

  it('refuses a file with several documents', () => {
    writeFileSync(join(workspace, 'two.yaml'), `${JOB}\n---\n${JOB}`);
    expect(() => read(`checks:\n  - name: a\n    job: two.yaml`)).toThrow(
      /"checks\[0\]\.job" has an invalid value "two\.yaml": the file two\.yaml holds 2 YAML documents; expected exactly one Job manifest\.$/,
    );
  });
});

describe('checkAnalysisNeeds', () => {
  it('refuses job checks where the step has no cluster, and accepts them where it has', () => {
    const plan = read(`checks:\n  - name: e2e\n    job:\n${JOB.replace(/^/gm, '      ')}`);
    if (!plan) throw new Error('no plan');
    expect(() => checkAnalysisNeeds(plan, { kubernetes: false })).toThrow(
      'Input "analysis", check "e2e": a job check runs a Kubernetes Job, and this step has no cluster; use smoke-test or prometheus checks here.',
    );
    expect(() => checkAnalysisNeeds(plan, { kubernetes: true })).not.toThrow();
  });

  it('refuses a placeholder the step has no value for, before anything runs, when the step names its placeholders', () => {
    const plan = read(`checks:
  - name: health
    smoke-test: {url: "http://\${service}.\${namespace}.svc/health", headers: {X-Rev: "\${revison}"}}
  - name: errors
    prometheus: {address: "http://p:9090", query: 'up{service="\${service}"}', success-condition: result == 1}`);
    if (!plan) throw new Error('no plan');
    const placeholders = ['service', 'namespace', 'revision'];
    expect(() => checkAnalysisNeeds(plan, { kubernetes: true, placeholders })).toThrow(
      'Input "analysis", check "health": the placeholder ${revison} has no value in this step; the placeholders here are ${service}, ${namespace}, ${revision}.',
    );
    expect(() =>
      checkAnalysisNeeds(plan, { kubernetes: true, placeholders: [...placeholders, 'revison'] }),
    ).not.toThrow();
    expect(() => checkAnalysisNeeds(plan, { kubernetes: true })).not.toThrow();
  });
});

describe('the README example', () => {
  it('is a valid analysis input', async () => {
    const { readFile, mkdir } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../shared/src/analysis/README.md', import.meta.url), 'utf8');
    const block = /```yaml\nanalysis: \|\n([\s\S]*?)```/.exec(readme)?.[1];
    if (!block) throw new Error('no example in the README');
    await mkdir(join(workspace, 'deploy/analysis'), { recursive: true });
    writeFileSync(join(workspace, 'deploy/analysis/e2e-job.yaml'), JOB);
    const plan = read(block.replace(/^ {2}/gm, ''));
    expect(plan?.settings).toMatchObject({
      intervalMs: 30_000,
      count: 5,
      failureLimit: 1,
      consecutiveSuccesses: 3,
    });
    expect(plan?.checks.map((check) => check.kind)).toEqual(['smoke-test', 'prometheus', 'job']);
  });
});
