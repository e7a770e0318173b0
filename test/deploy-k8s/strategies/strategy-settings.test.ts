import { describe, expect, it } from '@jest/globals';
import {
  canaryReplicas,
  parsePercentage,
  parseTrafficWeights,
  trafficWeightsProblem,
} from '../../../actions/deploy-k8s/src/strategies/strategy-settings.ts';
import { deploymentSelects, selects } from '../../../actions/deploy-k8s/src/strategies/workloads.ts';
import { deploymentVariant } from '../../../actions/deploy-k8s/src/strategies/render.ts';

describe('canary size', () => {
  it.each([
    [{ replicas: 3 }, 10, 3],
    [{ percentage: 10 }, 10, 1],
    [{ percentage: 10 }, 11, 2], // 1.1 rounded up
    [{ percentage: 25 }, 4, 1],
    [{ percentage: 1 }, 0, 1], // at least one pod, even beside a stable scaled to zero
    [{ percentage: 100 }, 5, 5],
  ])('%j of %i stable replicas is %i', (size, stable, expected) => {
    expect(canaryReplicas(size, stable)).toBe(expected);
  });

  it.each([
    ['10', 10],
    ['10%', 10],
    [' 100 % ', 100],
    ['1', 1],
  ])('reads %j as %i', (text, value) => expect(parsePercentage(text)).toBe(value));

  it.each(['0', '101', '12.5', '-5', 'ten', '', '10%%'])('refuses %j', (text) => {
    expect(parsePercentage(text)).toBeUndefined();
  });
});

describe('traffic weights', () => {
  it.each([
    [
      ['10', '50', '100'],
      [10, 50, 100],
    ],
    [['100'], [100]],
    [
      ['5%', '100%'],
      [5, 100],
    ],
  ])('reads %j', (items, weights) => expect(parseTrafficWeights(items)).toEqual(weights));

  it.each([
    ['not increasing', ['10', '10', '100'], 'strictly increasing'],
    ['decreasing', ['50', '20', '100'], 'strictly increasing'],
    ['not ending at 100', ['10', '50'], 'must be 100'],
    ['a zero', ['0', '100'], 'from 1 to 100'],
    ['above 100', ['50', '150'], 'from 1 to 100'],
    ['a fraction', ['12.5', '100'], 'from 1 to 100'],
  ])('refuses %s, saying why', (_label, items, why) => {
    expect(parseTrafficWeights(items)).toBeUndefined();
    expect(trafficWeightsProblem(items)).toContain(why);
  });
});

describe('selectors', () => {
  const stable = { spec: { selector: { matchLabels: { app: 'web' } } } };
  const tracked = {
    spec: {
      selector: {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'gantry.dev/track', operator: 'DoesNotExist' }],
      },
    },
  };
  it('finds the overlap of a stable selector with the canary pods, and none with a track-aware one', () => {
    const canaryPods = { app: 'web', 'gantry.dev/track': 'canary' };
    expect(deploymentSelects(stable, canaryPods)).toBe(true);
    expect(deploymentSelects(tracked, canaryPods)).toBe(false);
    expect(deploymentSelects(tracked, { app: 'web' })).toBe(true);
  });

  it('treats an empty Service selector as selecting nothing (the API server manages no endpoints for it)', () => {
    expect(selects({}, { app: 'web' })).toBe(false);
    expect(selects({ app: 'web' }, { app: 'web', 'gantry.dev/colour': 'blue' })).toBe(true);
  });
});

describe('deploymentVariant', () => {
  it('renames, adds the labels to the selector and the pod template, and leaves the original alone', () => {
    const stable = {
      source: 'k8s/web.yaml, document 1',
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, annotations: { a: 'b' } },
        spec: {
          replicas: 4,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'app', image: 'x:1' }] },
          },
        },
      },
    };
    const variant = deploymentVariant(stable, {
      name: 'web-green',
      labels: { 'gantry.dev/colour': 'green' },
      replicas: 4,
      annotations: { 'gantry.dev/strategy': 'blue-green' },
      source: 'green colour of k8s/web.yaml, document 1',
    });
    expect(variant.object).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web-green',
        namespace: 'shop',
        labels: { app: 'web', 'gantry.dev/colour': 'green' },
        annotations: { a: 'b', 'gantry.dev/strategy': 'blue-green' },
      },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'web', 'gantry.dev/colour': 'green' } },
        template: {
          metadata: { labels: { app: 'web', 'gantry.dev/colour': 'green' } },
          spec: { containers: [{ name: 'app', image: 'x:1' }] },
        },
      },
    });
    expect(stable.object.metadata.name).toBe('web');
    expect(stable.object.spec.selector.matchLabels).toEqual({ app: 'web' });
  });
});
