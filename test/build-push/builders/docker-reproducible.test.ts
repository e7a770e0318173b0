import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  parseBuildkitVersion,
  rewritesTimestamps,
} from '../../../actions/build-push/src/builders/buildkit-version.ts';
import { dockerBuilder } from '../../../actions/build-push/src/builders/docker.ts';
import { capture, setEnv, tempDir, type Captured, type TempDir } from '../../shared/helpers.ts';
import { buildRequest } from './helpers.ts';

/**
 * Reproducible images with the docker builder. No docker daemon exists here, so these check the
 * exact buildx command lines, run by a stand-in `docker` first on PATH that records its arguments and
 * environment, answers `docker buildx inspect --bootstrap` with the BuildKit version under test, and
 * writes the iidfile and metadata file as buildx does. Whether BuildKit then writes the same layers
 * twice is BuildKit's promise for rewrite-timestamp=true (moby/buildkit docs/build-repro.md), which
 * cannot be run here.
 */

const COMMIT_EPOCH = 1_578_616_200; // 2020-01-10T00:30:00Z, the commit's date
const INSPECT_0_13 = [
  'Name:          builder-1',
  'Driver:        docker-container',
  '',
  'Nodes:',
  'Name:                  builder-10',
  'Endpoint:              unix:///var/run/docker.sock',
  'Status:                running',
  'BuildKit daemon flags: --allow-insecure-entitlement=network.host',
  'BuildKit version:      v0.13.2',
  'Platforms:             linux/amd64, linux/amd64/v2',
].join('\n');
const INSPECT_OLD_BUILDX = [
  'Name:   default',
  'Driver: docker',
  '',
  'Nodes:',
  'Buildkit:  v0.11.6+0a15675913b7',
].join('\n');

describe('parseBuildkitVersion', () => {
  it.each([
    [INSPECT_0_13, 'v0.13.2', true],
    ['BuildKit version: v0.12.5', 'v0.12.5', false],
    [INSPECT_OLD_BUILDX, 'v0.11.6+0a15675913b7', false],
    ['BuildKit version: v0.20.0-rc1', 'v0.20.0-rc1', true],
    ['BuildKit version: 1.0.0', '1.0.0', true],
  ])('reads the version buildx prints (%#)', (output, text, rewrites) => {
    const version = parseBuildkitVersion(output);
    expect(version?.text).toBe(text);
    expect(rewritesTimestamps(version as NonNullable<typeof version>)).toBe(rewrites);
  });

  it('gives undefined when no version is printed (a builder that is not running)', () => {
    expect(parseBuildkitVersion('Name: x\nDriver: docker-container\nStatus: inactive')).toBeUndefined();
    expect(parseBuildkitVersion('BuildKit version: unknown')).toBeUndefined();
  });
});

interface Call {
  argv: string[];
  epoch: string | undefined;
}

describe('the docker builder stamps and rewrites timestamps where BuildKit can', () => {
  let dir: TempDir;
  let restoreEnv: () => void;
  let stdout: Captured;
  let record: string;

  beforeEach(() => {
    dir = tempDir('gantry-repro-');
    mkdirSync(join(dir.path, 'runner-temp'));
    record = join(dir.path, 'calls.jsonl');
    restoreEnv = setEnv({
      PATH: `${join(dir.path, 'bin')}${delimiter}${process.env.PATH}`,
      RUNNER_TEMP: join(dir.path, 'runner-temp'),
    });
    stdout = capture(process.stdout);
  });

  afterEach(() => {
    stdout.restore();
    restoreEnv();
    dir.remove();
  });

  /** `inspect`: what `docker buildx inspect --bootstrap` prints, or null to fail as docker would without a daemon. */
  function installDocker(inspect: string | null): void {
    const bin = join(dir.path, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(record, '');
    const script = `#!${process.execPath}
const fs = require('node:fs');
const argv = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify({ argv, epoch: process.env.SOURCE_DATE_EPOCH }) + '\\n');
if (argv[1] === 'inspect') {
  const text = ${JSON.stringify(inspect)};
  if (text === null) { process.stderr.write('Cannot connect to the Docker daemon at unix:///var/run/docker.sock\\n'); process.exit(1); }
  process.stdout.write(text + '\\n');
  process.exit(0);
}
const value = (flag) => argv[argv.indexOf(flag) + 1];
const pushed = argv.includes('--push') || argv.some((arg) => arg.startsWith('type=registry'));
const metadata = { 'containerimage.config.digest': 'sha256:${'c'.repeat(64)}' };
if (pushed) metadata['containerimage.digest'] = 'sha256:${'d'.repeat(64)}';
fs.writeFileSync(value('--iidfile'), 'sha256:${'c'.repeat(64)}');
fs.writeFileSync(value('--metadata-file'), JSON.stringify(metadata));
`;
    writeFileSync(join(bin, 'docker'), script, { mode: 0o755 });
  }

  function calls(): Call[] {
    return readFileSync(record, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Call);
  }

  const request = buildRequest({
    context: 'app',
    tags: ['ghcr.io/acme/app:1.2.3'],
    push: true,
    sourceDateEpoch: COMMIT_EPOCH,
  });

  async function buildAndPush(): Promise<string[]> {
    const builder = dockerBuilder({ dockerConfigDir: join(dir.path, 'home-docker') });
    const { notes } = await builder.prepare(new AbortController().signal);
    await builder.build(request, {
      signal: new AbortController().signal,
      pushTimeoutMs: 20_000,
      authFile: undefined,
    });
    return notes;
  }

  /** The recorded arguments with the build's private directory replaced by WORK. */
  function argvOf(call: Call | undefined): string[] {
    const argv = call?.argv ?? [];
    const work = argv[argv.indexOf('--iidfile') + 1]?.replace(/\/image-id$/, '') ?? '';
    return argv.map((arg) => arg.replace(work, 'WORK'));
  }

  it('with BuildKit 0.13: SOURCE_DATE_EPOCH from the commit and rewrite-timestamp=true in every image export', async () => {
    installDocker(INSPECT_0_13);
    expect(await buildAndPush()).toEqual([]);
    const [inspect, buildRun, pushRun, ...more] = calls();
    expect(more).toEqual([]);
    expect(inspect?.argv).toEqual(['buildx', 'inspect', '--bootstrap']);
    expect(argvOf(buildRun)).toEqual([
      'buildx',
      'build',
      '--iidfile',
      'WORK/image-id',
      '--output',
      'type=image,push=false,rewrite-timestamp=true',
      '--provenance=false',
      '--sbom=false',
      '--tag',
      'ghcr.io/acme/app:1.2.3',
      '--metadata-file',
      'WORK/metadata.json',
      'app',
    ]);
    expect(argvOf(pushRun)).toEqual([
      'buildx',
      'build',
      '--iidfile',
      'WORK/image-id',
      '--provenance=false',
      '--sbom=false',
      '--tag',
      'ghcr.io/acme/app:1.2.3',
      '--metadata-file',
      'WORK/metadata.json',
      '--output',
      'type=registry,rewrite-timestamp=true',
      'app',
    ]);
    expect(buildRun?.epoch).toBe(String(COMMIT_EPOCH));
    expect(pushRun?.epoch).toBe(String(COMMIT_EPOCH));
  });

  it('with BuildKit 0.12: the epoch still stamps the image, plain --push, and a note for the summary', async () => {
    installDocker('BuildKit version: v0.12.5');
    const notes = await buildAndPush();
    expect(notes).toEqual([
      expect.stringContaining('BuildKit v0.12.5 is older than 0.13, which cannot rewrite the layers'),
    ]);
    expect(notes[0]).toContain('a re-run of this commit builds a different image');
    const [, buildRun, pushRun] = calls();
    expect(argvOf(buildRun)).toContain('type=image,push=false');
    expect(argvOf(pushRun).slice(-2)).toEqual(['--push', 'app']);
    expect(calls().some((call) => call.argv.some((arg) => arg.includes('rewrite-timestamp')))).toBe(false);
    expect(pushRun?.epoch).toBe(String(COMMIT_EPOCH));
  });

  it('a builder that cannot be asked: no rewrite, and the summary says why', async () => {
    installDocker(null);
    const notes = await buildAndPush();
    expect(notes).toEqual([expect.stringContaining("BuildKit's version could not be read")]);
    expect(notes[0]).toContain('Cannot connect to the Docker daemon');
    expect(argvOf(calls()[2]).slice(-2)).toEqual(['--push', 'app']);
  });

  it('loading rewrites through the docker exporter, which --load stands for', () => {
    const builder = dockerBuilder({ dockerConfigDir: '/home/runner/.docker' });
    const { args } = builder.command(buildRequest({ load: true, sourceDateEpoch: COMMIT_EPOCH }), {
      workDir: '/w',
      authFile: undefined,
    });
    expect(args).toContain('type=docker,rewrite-timestamp=true');
    expect(args).not.toContain('--load');
  });

  it('a build without a commit date exports as before', () => {
    const builder = dockerBuilder({ dockerConfigDir: '/home/runner/.docker' });
    const { args, env } = builder.command(buildRequest({ load: true }), {
      workDir: '/w',
      authFile: undefined,
    });
    expect(args).toContain('--load');
    expect(env.SOURCE_DATE_EPOCH).toBeUndefined();
  });
});
