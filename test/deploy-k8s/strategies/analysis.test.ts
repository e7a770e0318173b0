import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startKubernetesSimulator, type KubernetesSimulator } from '../../support/k8s-simulator/index.ts';
import { startPrometheus, type PrometheusServer } from '../../support/prometheus.ts';
import { tempDir, type TempDir } from '../../shared/helpers.ts';
import { deploy, imageOf, story, webApp, writeFiles } from '../helpers.ts';
import { deploymentOf, deploymentPath, replicasOf, selectorOf, writesTo } from './helpers.ts';

/**
 * Analysis between the steps, with a Prometheus-compatible endpoint answering in the real format:
 * a passing analysis promotes (auto-promote), a failing one aborts and leaves the stable
 * Deployment untouched, no data is a failure, an inconclusive one leaves the canary pending, and a
 * blue-green colour that fails its analysis never receives traffic.
 */
let simulator: KubernetesSimulator;
let prometheus: PrometheusServer;
let workspace: TempDir;
beforeEach(async () => {
  simulator = await startKubernetesSimulator({ readyDelayMs: 30 });
  prometheus = await startPrometheus();
  workspace = tempDir('gantry-analysis-');
  writeFiles(workspace.path, { 'k8s/web.yaml': webApp({ replicas: 3 }) });
  const first = await deploy(simulator, workspace.path, { manifests: 'k8s' });
  expect(first.run.exitCode === 0 ? '' : story(first.run)).toBe('');
});
afterEach(async () => {
  await prometheus.close();
  await simulator.close();
  workspace.remove();
});

const V1 = 'registry.example.com:5000/shop/web:1.0';
const V2 = 'registry.example.com:5000/shop/web:2.0';
const ERROR_RATE = 'error_rate{deployment="${canary}",namespace="${namespace}"}';
const analysis = (query: string, extra = ''): string => `interval: 0s
count: 2
${extra}checks:
  - name: error-rate
    prometheus:
      address: ${prometheus.address}
      query: '${query}'
      success-condition: result < 0.01
      failure-condition: result >= 0.05
`;
const stableImage = (): string | undefined =>
  imageOf(deploymentOf(simulator, 'web'), 'spec', 'template', 'spec', 'containers');

describe('canary analysis', () => {
  it('passes with the canary named in the query, and auto-promote promotes', async () => {
    prometheus.answer('error_rate{deployment="web-canary",namespace="default"}', {
      vector: [{ value: 0.001 }],
    });
    const run = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      strategy: 'canary',
      images: V2,
      analysis: analysis(ERROR_RATE),
      'auto-promote': 'true',
    });
    expect(run.run.exitCode === 0 ? '' : story(run.run)).toBe('');
    expect(run.run.outputs['strategy-state']).toBe('promoted');
    expect(prometheus.queries.map((query) => query.query)).toEqual([
      'error_rate{deployment="web-canary",namespace="default"}',
      'error_rate{deployment="web-canary",namespace="default"}',
    ]);
    const [result] = JSON.parse(run.run.outputs.analysis ?? '[]') as {
      decision: string;
      result: { rounds: number };
    }[];
    expect(result).toMatchObject({ decision: 'passed', result: { rounds: 2 } });
    expect(stableImage()).toBe(V2);
    expect(run.run.summary).toContain('canary (web-canary): passed');
    expect(run.run.summary).toContain('| 2 | error-rate | prometheus |');
  });

  it('fails on a high error rate: the canary is aborted and the stable Deployment never written', async () => {
    prometheus.answer(/error_rate/, { vector: [{ value: 0.2 }] });
    const run = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      strategy: 'canary',
      images: V2,
      analysis: analysis(ERROR_RATE),
      'auto-promote': 'true',
    });
    expect(run.run.exitCode).toBe(1);
    expect(run.run.outputs['strategy-state']).toBe('aborted');
    expect(run.run.log).toContain('The analysis failed, so the canary was aborted');
    expect(deploymentOf(simulator, 'web-canary')).toBeUndefined();
    expect(writesTo(run.requests, deploymentPath('web'))).toEqual([]);
    expect(stableImage()).toBe(V1);
    expect(JSON.parse(run.run.outputs.analysis ?? '[]')[0].decision).toBe('failed');
  });

  it('treats no data as a failure', async () => {
    // Nothing programmed: the endpoint answers an empty vector, as Prometheus does for unknown series.
    const run = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      strategy: 'canary',
      images: V2,
      analysis: analysis(ERROR_RATE),
    });
    expect(run.run.exitCode).toBe(1);
    expect(run.run.outputs['strategy-state']).toBe('aborted');
    const [result] = JSON.parse(run.run.outputs.analysis ?? '[]') as { decision: string; reason: string }[];
    expect(result?.decision).toBe('failed');
    expect(JSON.stringify(result)).toMatch(/no data/i);
    expect(deploymentOf(simulator, 'web-canary')).toBeUndefined();
  });

  it('leaves the canary pending, neither promoted nor aborted, when the analysis is inconclusive', async () => {
    // Between the two conditions: neither holds, so each measurement is inconclusive.
    prometheus.answer(/error_rate/, { vector: [{ value: 0.02 }] });
    const run = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      strategy: 'canary',
      images: V2,
      analysis: analysis(ERROR_RATE),
      'auto-promote': 'true',
    });
    expect(run.run.exitCode).toBe(1);
    expect(run.run.outputs['strategy-state']).toBe('pending');
    expect(run.run.log).toContain('inconclusive');
    expect(replicasOf(simulator, 'web-canary')).toBe(1);
    expect(stableImage()).toBe(V1);

    // A person decides in another run.
    const promoted = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      strategy: 'canary',
      images: V2,
      action: 'promote',
    });
    expect(promoted.run.exitCode === 0 ? '' : story(promoted.run)).toBe('');
    expect(stableImage()).toBe(V2);
  });
});

describe('blue-green analysis', () => {
  it('never switches to a colour that fails its analysis, and scales it to zero', async () => {
    prometheus.answer(/colour/, { vector: [{ value: 0.5 }] });
    const run = await deploy(simulator, workspace.path, {
      manifests: 'k8s',
      strategy: 'blue-green',
      images: V2,
      analysis: analysis('error_rate{colour="${colour}",deployment="${deployment}"}'),
    });
    expect(run.run.exitCode).toBe(1);
    expect(run.run.outputs['strategy-state']).toBe('aborted');
    expect(prometheus.queries[0]?.query).toBe('error_rate{colour="blue",deployment="web-blue"}');
    expect(selectorOf(simulator)).toEqual({ app: 'web' });
    expect(replicasOf(simulator, 'web-blue')).toBe(0);
    // The apply, pinned to web's pods, then the pin undone once blue is at zero: never switched to blue.
    expect(writesTo(run.requests, '/api/v1/namespaces/default/services/web').length).toBe(2);
  });
});
