import { describe, expect, it } from '@jest/globals';
import { parseImageOverrides, substituteImages } from '../../actions/deploy-k8s/src/manifests/images.ts';
import type { Manifest } from '../../actions/deploy-k8s/src/manifests/manifest.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';
import { field } from '../../shared/src/kubernetes/object.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function manifest(kind: string, spec: Record<string, unknown>): Manifest {
  return { object: { apiVersion: 'v1', kind, metadata: { name: kind.toLowerCase() }, spec }, source: 'test' };
}

const podSpec = (containers: object[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  containers,
  ...extra,
});
const c = (name: string, image: string): Record<string, string> => ({ name, image });

describe('image substitution', () => {
  it.each<[string, string, string, boolean]>([
    [
      'same registry with a port, tag replaced by a digest',
      'registry.example.com:5000/team/app:1.0',
      `registry.example.com:5000/team/app@${DIGEST}`,
      true,
    ],
    [
      'a registry with a port does not match the same host without it',
      'registry.example.com/team/app:1.0',
      'registry.example.com:5000/team/app:2.0',
      false,
    ],
    ['another repository on the same registry', 'ghcr.io/team/app-worker:1', 'ghcr.io/team/app:2', false],
    ['Docker Hub short name and full name', 'nginx', 'docker.io/library/nginx:1.27', true],
    ['Docker Hub alias host', 'index.docker.io/library/redis:7', 'redis:7.2', true],
    ['Docker Hub alias host without library/', 'index.docker.io/nginx:1', 'nginx:1.27', true],
    ['Docker Hub host in capitals without library/', 'Docker.io/nginx:1', 'nginx:1.27', true],
    ['an override on an alias host without library/', 'nginx:1', 'registry-1.docker.io/nginx:1.27', true],
    ['a user repository on Docker Hub is not official', 'someone/nginx:1', 'nginx:1.27', false],
    ['an image already pinned by digest', `ghcr.io/team/app@${DIGEST}`, 'ghcr.io/team/app:v2', true],
    ['tag and digest together', 'ghcr.io/team/app:v1', `ghcr.io/team/app:v2@${DIGEST}`, true],
    ['localhost registry', 'localhost:5000/app:dev', 'localhost:5000/app:1', true],
    ['IPv6 registry with a port', '[::1]:5000/app:dev', '[::1]:5000/app:2', true],
    ['a registry host is case-insensitive', 'Registry.Example.com/app:1', 'registry.example.com/app:2', true],
    ['a prefix of a repository is not a match', 'ghcr.io/team/app/sidecar:1', 'ghcr.io/team/app:2', false],
  ])('%s', (_name, image, override, replaced) => {
    const deployment = manifest('Deployment', { template: { spec: podSpec([c('app', image)]) } });
    const changes = substituteImages([deployment], parseImageOverrides([override]));
    const now = field(deployment.object, 'spec', 'template', 'spec', 'containers') as { image: string }[];
    expect(now[0]?.image).toBe(replaced ? override : image);
    expect(changes).toHaveLength(replaced ? 1 : 0);
  });

  it('replaces containers, init containers and ephemeral containers of every kind with a pod template', () => {
    const app = 'registry.example.com:5000/shop/web:old';
    const spec = (): Record<string, unknown> =>
      podSpec([c('web', app), c('sidecar', 'envoyproxy/envoy:v1.30')], {
        initContainers: [c('migrate', app)],
        ephemeralContainers: [c('debug', app)],
      });
    const manifests = [
      manifest('Deployment', { template: { spec: spec() } }),
      manifest('StatefulSet', { template: { spec: spec() } }),
      manifest('DaemonSet', { template: { spec: spec() } }),
      manifest('Job', { template: { spec: spec() } }),
      manifest('CronJob', { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: spec() } } } }),
      manifest('Pod', spec()),
      manifest('ConfigMap', {}),
    ];
    const target = `registry.example.com:5000/shop/web@${DIGEST}`;
    const changes = substituteImages(manifests, parseImageOverrides([target, 'envoyproxy/envoy:v1.31']));
    expect(changes).toHaveLength(6 * 4);
    expect(changes.filter((change) => change.to === target)).toHaveLength(6 * 3);
    const cron = field(
      manifests[4]?.object,
      'spec',
      'jobTemplate',
      'spec',
      'template',
      'spec',
      'initContainers',
    ) as { image: string }[];
    expect(cron[0]?.image).toBe(target);
  });

  it('leaves images it cannot parse alone', () => {
    const deployment = manifest('Deployment', { template: { spec: podSpec([c('app', '${IMAGE}')]) } });
    expect(substituteImages([deployment], parseImageOverrides(['ghcr.io/a/b:1']))).toEqual([]);
  });
});

describe('the images input', () => {
  it.each<[string, RegExp]>([
    ['ghcr.io/Team/App:1', /invalid image reference "ghcr.io\/Team\/App:1"/],
    ['ghcr.io/team/app', /without a tag or digest/],
    ['ghcr.io/team/app@sha256:short', /is not a digest/],
    ['registry.example.com:99999/app:1', /invalid port/],
    ['ghcr.io/team/app:bad tag', /not a valid tag/],
  ])('refuses %s', (reference, message) => {
    expect(() => parseImageOverrides([reference])).toThrow(message);
    expect(() => parseImageOverrides([reference])).toThrow(ConfigurationError);
  });

  it('refuses two images for one repository', () => {
    expect(() => parseImageOverrides(['nginx:1', 'docker.io/library/nginx:2'])).toThrow(
      'Input "images" gives two images for docker.io/library/nginx: nginx:1 and docker.io/library/nginx:2.',
    );
  });
});
