import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runActionBundle } from '../test/support/action-runner.ts';
import { listTags, startRegistry } from '../test/support/registry.ts';

/**
 * `node scripts/demo-build-push.ts`: the committed build-push bundle run through the runner harness
 * exactly as GitHub would run it for a `v1.0.0` tag push: buildah builds a tiny `FROM scratch` image
 * and pushes it to a local registry (the real `docker-registry`, with a password), then the job
 * summary is printed and the tags are read back from the registry. Without buildah or docker-registry
 * it says how to install them and exits 0: the demo needs them, the machine does not.
 */

const TOOLS = [
  { command: 'buildah', install: 'apt-get install -y buildah' },
  { command: 'docker-registry', install: 'apt-get install -y docker-registry' },
];
const LOGIN = { username: 'demo', password: 'demo-registry-password-not-a-secret' };
const SHA = 'd6cd1e2bd19e03a81132a23b2025920577f84e37';

const missing = TOOLS.filter(({ command }) => {
  const probe = spawnSync(command, ['--version'], { stdio: 'ignore' });
  return probe.error !== undefined || probe.status !== 0;
});
if (missing.length > 0) {
  console.log('The build-push demo needs a builder and a registry that are not installed here:');
  for (const { command, install } of missing) console.log(`  ${command}: install it with \`${install}\``);
  console.log('Nothing was built. Install them and run the demo again.');
  process.exit(0);
}

const root = mkdtempSync(join(tmpdir(), 'gantry-demo-build-push-'));
const registry = await startRegistry({ users: { [LOGIN.username]: LOGIN.password } });
try {
  const workspace = join(root, 'workspace');
  mkdirSync(join(workspace, 'app'), { recursive: true });
  writeFileSync(join(workspace, 'app', 'index.html'), '<h1>Hello from Gantry</h1>\n');
  writeFileSync(
    join(workspace, 'app', 'Dockerfile'),
    [
      'FROM scratch',
      'ARG MESSAGE=none',
      'COPY index.html /srv/index.html',
      'LABEL demo.message=$MESSAGE',
      '',
    ].join('\n'),
  );
  const runnerTemp = join(root, 'runner-temp');
  mkdirSync(runnerTemp);
  const storageConf = join(root, 'storage.conf');
  writeFileSync(
    storageConf,
    ['[storage]', 'driver = "vfs"', `graphroot = "${root}/storage"`, `runroot = "${root}/run"`, ''].join(
      '\n',
    ),
  );
  const event = join(root, 'event.json');
  writeFileSync(
    event,
    JSON.stringify({
      ref: 'refs/tags/v1.0.0',
      after: SHA,
      repository: {
        name: 'demo-service',
        full_name: 'gantry-dev/demo-service',
        html_url: 'https://github.com/gantry-dev/demo-service',
        default_branch: 'main',
      },
      head_commit: { id: SHA, timestamp: '2024-05-01T10:00:00Z' },
    }),
  );

  const image = `${registry.host}/gantry-dev/demo-service`;
  console.log(`=== build-push: buildah builds ${image} and pushes it to the local registry ===\n`);
  const run = await runActionBundle({
    action: 'build-push',
    inputs: {
      images: image,
      builder: 'buildah',
      context: 'app',
      tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}', 'type=sha'].join(
        '\n',
      ),
      'build-args': 'MESSAGE=hello',
      username: LOGIN.username,
      password: LOGIN.password,
      'insecure-registries': registry.host,
    },
    env: {
      // buildah without a daemon: vfs storage in the demo's temp dir, chroot isolation.
      STORAGE_DRIVER: 'vfs',
      BUILDAH_ISOLATION: 'chroot',
      CONTAINERS_STORAGE_CONF: storageConf,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: event,
      GITHUB_REF: 'refs/tags/v1.0.0',
      GITHUB_REF_NAME: 'v1.0.0',
      GITHUB_REF_TYPE: 'tag',
      GITHUB_SHA: SHA,
      GITHUB_REPOSITORY: 'gantry-dev/demo-service',
      RUNNER_TEMP: runnerTemp,
    },
    cwd: workspace,
  });
  console.log(run.log.trimEnd());
  console.log(`\n--- job summary (exit code ${run.exitCode}) ---\n`);
  console.log(run.summary.trimEnd());
  console.log(`\n--- outputs ---\nimage=${run.outputs.image ?? ''}\ntags=${run.outputs.tags ?? ''}`);
  console.log(`\n--- post step (exit code ${run.post?.exitCode}) ---\n${run.post?.log.trimEnd() ?? ''}`);
  const tags = await listTags(registry, 'gantry-dev/demo-service', LOGIN);
  console.log(`\n--- the registry now holds ---\n${tags.map((tag) => `${image}:${tag}`).join('\n')}`);
  const ok = run.exitCode === 0 && tags.length > 0;
  console.log(ok ? '\nDemo finished: the image was built and pushed.' : '\nDemo FAILED: see the log above.');
  process.exitCode = ok ? 0 : 1;
} finally {
  await registry.close();
  rmSync(root, { recursive: true, force: true });
}
