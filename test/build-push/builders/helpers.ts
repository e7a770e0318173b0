import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setEnv, tempDir, type TempDir } from '../../shared/helpers.ts';
import type { BuildRequest } from '../../../actions/build-push/src/builders/types.ts';
import type { BuildSettings } from '../../../actions/build-push/src/build-settings.ts';

/** Helpers of the builder tests: a throwaway buildah storage and build requests with defaults. */

export interface BuildahSandbox {
  dir: TempDir;
  /** RUNNER_TEMP for the builds: each build's private directory must be gone from it afterwards. */
  runnerTemp: string;
  /** What is left in RUNNER_TEMP. */
  leftovers(): string[];
  restore(): void;
}

/**
 * buildah as a rootful CI job without a daemon runs it: vfs storage (no overlay mounts needed) and
 * chroot isolation (no runc), chosen through the environment variables buildah reads, with the
 * storage in a temp dir through CONTAINERS_STORAGE_CONF so tests never touch /var/lib/containers.
 */
export function buildahSandbox(): BuildahSandbox {
  const dir = tempDir('gantry-buildah-');
  const runnerTemp = join(dir.path, 'runner-temp');
  mkdirSync(runnerTemp);
  const storageConf = dir.file(
    'storage.conf',
    ['[storage]', 'driver = "vfs"', `graphroot = "${dir.path}/root"`, `runroot = "${dir.path}/run"`, ''].join(
      '\n',
    ),
  );
  const restoreEnv = setEnv({
    STORAGE_DRIVER: 'vfs',
    BUILDAH_ISOLATION: 'chroot',
    CONTAINERS_STORAGE_CONF: storageConf,
    RUNNER_TEMP: runnerTemp,
  });
  return {
    dir,
    runnerTemp,
    leftovers: () => readdirSync(runnerTemp),
    restore: () => {
      restoreEnv();
      dir.remove();
    },
  };
}

/** A build context with a `FROM scratch` Dockerfile: a file, a build-arg and a label. */
export function writeScratchContext(root: string): string {
  const context = join(root, 'context');
  mkdirSync(context);
  writeFileSync(join(context, 'hello.txt'), 'hello from gantry\n');
  writeFileSync(
    join(context, 'Dockerfile'),
    ['FROM scratch', 'ARG GREETING=none', 'COPY hello.txt /hello.txt', 'LABEL greeting=$GREETING', ''].join(
      '\n',
    ),
  );
  return context;
}

/** No build-push-action extras: what an action without those inputs asks for. */
export function noSettings(overrides: Partial<BuildSettings> = {}): BuildSettings {
  return {
    ssh: [],
    buildContexts: [],
    annotations: [],
    outputs: [],
    secretEnvs: [],
    addHosts: [],
    network: undefined,
    shmSize: undefined,
    ulimits: [],
    noCacheFilters: [],
    allow: [],
    attests: [],
    cgroupParent: undefined,
    call: undefined,
    ...overrides,
  };
}

export function buildRequest(overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    settings: noSettings(),
    context: '.',
    file: undefined,
    target: undefined,
    buildArgs: {},
    secrets: [],
    platforms: [],
    labels: {},
    tags: [],
    cacheFrom: [],
    cacheTo: [],
    push: false,
    load: false,
    provenance: false,
    sbom: false,
    noCache: false,
    pull: false,
    sourceDateEpoch: undefined,
    reportImageId: false,
    ...overrides,
  };
}
