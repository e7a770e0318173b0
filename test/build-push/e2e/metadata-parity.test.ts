import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  branchPush,
  buildPush,
  COMMIT_DATE,
  createSandbox,
  errors,
  expectNothingBuilt,
  expectOutcome,
  SHA,
  tagPush,
  type Sandbox,
} from './helpers.ts';

/**
 * Dry runs of the committed bundle with tag rules, images and flavors as metadata-action's users write
 * them, and build-push-action's other inputs: the outputs and the builder command a workflow would
 * get. Dry runs build nothing, so these need no registry and no docker daemon.
 */

let sandbox: Sandbox;

beforeAll(() => {
  sandbox = createSandbox();
});
afterAll(() => sandbox?.remove());

describe('metadata-action tag syntax through the bundle', () => {
  it('pep440, a whole quoted rule line, match= on semver, image attributes and sep-tags', async () => {
    const { run } = await buildPush(
      sandbox,
      {
        'dry-run': 'true',
        images: 'name=ghcr.io/Gantry-Dev/App\nname=docker.io/gantry/app,enable=false',
        tags: [
          '# Python-style releases',
          'type=pep440,pattern={{version}}',
          'type=pep440,pattern={{major}}.{{minor}}',
          '"type=match,""pattern=^(\\d{1,3})\\."",group=1"',
          'type=semver,pattern=v{{major}},value=tools/v1.2.3,"match=v(\\d.\\d.\\d)$"',
        ].join('\n'),
        'sep-tags': ',',
        'sep-labels': ';',
      },
      { event: tagPush(sandbox, '1.2') },
    );
    expectOutcome(run, 'success');
    // by hand: pep440 1.2 -> 1.2 and 1.2 (once) with latest; match group 1 of "1." -> 1; semver of
    // tools/v1.2.3 matched to 1.2.3 -> v1 (priority 900 before match's 800)
    expect(run.outputs.tags).toBe(
      ['1.2', 'v1', '1', 'latest'].map((tag) => `ghcr.io/gantry-dev/app:${tag}`).join(','),
    );
    expect(run.outputs.version).toBe('1.2');
    expect(run.outputs.labels?.split(';')).toContain(`org.opencontainers.image.revision=${SHA}`);
    expect(run.summary).toContain('--tag ghcr.io/gantry-dev/app:latest');
    expect(run.summary).not.toContain('docker.io/gantry/app');
    expectNothingBuilt(run);
  });

  it('without images and without push, the tags are bare and the builder names no image', async () => {
    const { run } = await buildPush(
      sandbox,
      { 'dry-run': 'true', push: 'false', tags: 'type=pep440,pattern={{version}}\ntype=sha' },
      { event: tagPush(sandbox, 'v2.0.0rc1') },
    );
    expectOutcome(run, 'success');
    expect(run.outputs.tags?.split('\n')).toEqual(['2.0.0rc1', `sha-${SHA.slice(0, 7)}`]);
    const command = /```\n(buildah build .*)\n```/.exec(run.summary)?.[1];
    expect(command).toBeDefined();
    expect(command).not.toContain('--tag');
  });

  it('a quoted field with a comma inside a rule line fails, showing the spelling that works', async () => {
    const { run } = await buildPush(
      sandbox,
      { 'dry-run': 'true', images: 'ghcr.io/gantry-dev/app', tags: 'type=match,"pattern=^v\\d{1,2}"' },
      { event: tagPush(sandbox, 'v12') },
    );
    expectOutcome(run, 'failure');
    expect(errors(run)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('quote the whole line instead: "type=match,""pattern=^v\\d{1,2}"""'),
      }),
    ]);
  });

  it('the annotations output, for manifest and index, with its separator', async () => {
    const { run } = await buildPush(
      sandbox,
      { 'dry-run': 'true', images: 'ghcr.io/gantry-dev/app', 'sep-annotations': '|' },
      { event: branchPush(sandbox, 'main'), env: { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' } },
    );
    expectOutcome(run, 'success');
    const annotations = run.outputs.annotations?.split('|') ?? [];
    expect(annotations).toHaveLength(16);
    expect(annotations).toContain(
      `manifest:org.opencontainers.image.created=${new Date(COMMIT_DATE).toISOString()}`,
    );
    expect(annotations).toContain('index:org.opencontainers.image.version=main');
  });
});

describe('build-push-action inputs through the bundle', () => {
  it('the docker builder: every flag and a reproducible export in the command a dry run shows', async () => {
    const { run } = await buildPush(
      sandbox,
      {
        'dry-run': 'true',
        builder: 'docker',
        images: 'ghcr.io/gantry-dev/app',
        tags: 'type=sha',
        ssh: 'default',
        'add-hosts': 'db.local:10.0.0.5',
        network: 'host',
        'cache-to': 'ghcr.io/gantry-dev/app:buildcache',
      },
      { event: branchPush(sandbox, 'main') },
    );
    expectOutcome(run, 'success');
    const command = /```\n(docker buildx build .*)\n```/.exec(run.summary)?.[1] ?? '';
    expect(command).toContain('--add-host db.local:10.0.0.5 ');
    expect(command).toContain('--cache-to ghcr.io/gantry-dev/app:buildcache ');
    expect(command).toContain('--output type=image,push=false,rewrite-timestamp=true ');
    expect(command).toContain('--ssh default ');
    expect(command).toContain('--network host ');
  });

  it('an input buildah has no flag for fails before anything runs, naming the input and the builder', async () => {
    const { run } = await buildPush(
      sandbox,
      { images: 'ghcr.io/gantry-dev/app', tags: 'type=sha', 'no-cache-filters': 'deps' },
      { event: branchPush(sandbox, 'main') },
    );
    expectOutcome(run, 'failure');
    expect(errors(run)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /Input "no-cache-filters".*buildah has no --no-cache-filter.*builder is buildah/,
        ),
      }),
    ]);
    expectNothingBuilt(run);
  });
});
