import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import { readInputs } from '../../actions/deploy-k8s/src/inputs.ts';
import { run } from '../../actions/deploy-k8s/src/main.ts';
import { ConfigurationError } from '../../shared/src/errors.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from '../support/k8s-simulator/index.ts';
import { capture, tempDir, type Captured, type TempDir } from '../shared/helpers.ts';

/**
 * Bad inputs through the action's own `run`, in-process, with a live simulator as the cluster: each
 * must stop with a ConfigurationError naming the input, and the simulator must have received
 * nothing at all.
 */

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers: [{name: migrate, image: "registry.example.com:5000/shop/web:1.0"}]
      containers: [{name: app, image: "registry.example.com:5000/shop/web:1.0"}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

let simulator: KubernetesSimulator;
let workspace: TempDir;
let stdout: Captured;

beforeAll(async () => {
  simulator = await startKubernetesSimulator();
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(() => {
  stdout = capture();
  workspace = tempDir('gantry-deploy-inputs-');
  write('k8s/app.yaml', DEPLOYMENT);
});
afterEach(() => {
  stdout.restore();
  workspace.remove();
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
});

function write(path: string, text: string): void {
  mkdirSync(join(workspace.path, dirname(path)), { recursive: true });
  workspace.file(path, text);
}

function setInputs(inputs: Record<string, string>): void {
  const all = { manifests: 'k8s/app.yaml', kubeconfig: simulator.kubeconfig, ...inputs };
  for (const [name, value] of Object.entries(all))
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
}

const env = (): Record<string, string> => ({ GITHUB_WORKSPACE: workspace.path });

interface BadCase {
  inputs: Record<string, string>;
  files?: Record<string, string>;
  input: string;
  message: RegExp;
}

const manifest = (text: string): BadCase['files'] => ({ 'k8s/app.yaml': text });
const KIND_HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
const bomb = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
].join('\n');
const kubeconfigWith = (change: (config: Record<string, unknown>) => void): string => {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'simulator',
    clusters: [{ name: 'simulator', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [{ name: 'u', user: { token: 'bad-input-token-never-shown' } }],
    contexts: [{ name: 'simulator', context: { cluster: 'simulator', user: 'u' } }],
  };
  change(config);
  return stringify(config);
};

const BAD: Record<string, BadCase> = {
  'no manifests': { inputs: { manifests: '' }, input: 'manifests', message: /Input "manifests" is required/ },
  'a missing file': {
    inputs: { manifests: 'k8s/missing.yaml' },
    input: 'manifests',
    message: /no such file or directory/,
  },
  'a glob matching nothing': {
    inputs: { manifests: 'deploy/**/*.yaml' },
    input: 'manifests',
    message: /the pattern matches no file/,
  },
  'an empty directory': {
    inputs: { manifests: 'empty' },
    files: { 'empty/notes.txt': 'x' },
    input: 'manifests',
    message: /holds no .yaml/,
  },
  'broken YAML': {
    inputs: {},
    files: manifest('apiVersion: v1\nkind: [ConfigMap\n'),
    input: 'manifests',
    message: /document 1: it is not valid YAML/,
  },
  'a tab-indented document': {
    inputs: {},
    files: manifest('apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n'),
    input: 'manifests',
    message: /not valid YAML/,
  },
  'a duplicate key': {
    inputs: {},
    files: manifest(`${KIND_HEAD}kind: Secret\n`),
    input: 'manifests',
    message: /line \d+: the key "kind" is already set at line \d+/,
  },
  'an object without kind': {
    inputs: {},
    files: manifest('apiVersion: v1\nmetadata: {name: a}\n'),
    input: 'manifests',
    message: /the object has no kind/,
  },
  'an object without apiVersion': {
    inputs: {},
    files: manifest('kind: ConfigMap\nmetadata: {name: a}\n'),
    input: 'manifests',
    message: /has no apiVersion/,
  },
  'an object without name': {
    inputs: {},
    files: manifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n'),
    input: 'manifests',
    message: /has no metadata.name/,
  },
  'an object without metadata': {
    inputs: {},
    files: manifest('apiVersion: v1\nkind: ConfigMap\ndata: {}\n'),
    input: 'manifests',
    message: /has no metadata/,
  },
  'generateName instead of a name': {
    inputs: {},
    files: manifest('apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: x-}\n'),
    input: 'manifests',
    message: /server-side apply needs a fixed name/,
  },
  'a name with a slash': {
    inputs: {},
    files: manifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a/b"}\n'),
    input: 'manifests',
    message: /cannot contain \//,
  },
  'a scalar document': {
    inputs: {},
    files: manifest('hello\n'),
    input: 'manifests',
    message: /expected a Kubernetes object/,
  },
  'a lowercase kind': {
    inputs: {},
    files: manifest('apiVersion: v1\nkind: configmap\nmetadata: {name: a}\n'),
    input: 'manifests',
    message: /is not a kind name/,
  },
  'an unknown built-in kind': {
    inputs: {},
    files: manifest('apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: a}\n'),
    input: 'manifests',
    message: /did you mean Deployment/,
  },
  'an unknown core kind': {
    inputs: {},
    files: manifest('apiVersion: v1\nkind: Frobnicator\nmetadata: {name: a}\n'),
    input: 'manifests',
    message: /v1 has no kind "Frobnicator"/,
  },
  'a removed apiVersion': {
    inputs: {},
    files: manifest('apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: a}\n'),
    input: 'manifests',
    message: /served as apps\/v1/,
  },
  'a malformed apiVersion': {
    inputs: {},
    files: manifest('apiVersion: "apps/"\nkind: Deployment\nmetadata: {name: a}\n'),
    input: 'manifests',
    message: /is not group\/version/,
  },
  'YAML anchors used to blow up size': {
    inputs: {},
    files: manifest(`${bomb}\n${KIND_HEAD}`),
    input: 'manifests',
    message: /aliases expand too far/,
  },
  'an object over the API server limit': {
    inputs: {},
    files: manifest(`${KIND_HEAD}data:\n  blob: "${'x'.repeat(1_600_000)}"\n`),
    input: 'manifests',
    message: /accepts at most/,
  },
  'an unquoted number label': {
    inputs: {},
    files: manifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {v: 1}}\n'),
    input: 'manifests',
    message: /quote it/,
  },
  'a bad namespace in a manifest': {
    inputs: {},
    files: manifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: "My_NS"}\n'),
    input: 'manifests',
    message: /is not a namespace name/,
  },
  'a namespace on a cluster-scoped object': {
    inputs: {},
    files: manifest(
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: a, namespace: shop}\n',
    ),
    input: 'manifests',
    message: /is cluster-scoped and cannot have metadata.namespace/,
  },
  'one object twice': {
    inputs: {},
    files: manifest(`${KIND_HEAD}---\n${KIND_HEAD}`),
    input: 'manifests',
    message: /ConfigMap\/default\/a is in the manifests twice/,
  },
  'a custom resource version its CRD does not serve': {
    inputs: {},
    files: manifest(
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec: {group: example.com, scope: Namespaced, names: {kind: Widget, plural: widgets}, versions: [{name: v1, served: true, storage: true}]}\n---\napiVersion: example.com/v2\nkind: Widget\nmetadata: {name: w}\n',
    ),
    input: 'manifests',
    message: /serves example.com\/v1, not example.com\/v2/,
  },
  'only comments': {
    inputs: {},
    files: manifest('# nothing here\n---\n'),
    input: 'manifests',
    message: /with no Kubernetes object/,
  },
  'an invalid image reference': {
    inputs: { images: 'Registry.Example.com/Shop/Web:1' },
    input: 'images',
    message: /invalid image reference/,
  },
  'an image without tag or digest': {
    inputs: { images: 'registry.example.com:5000/shop/web' },
    input: 'images',
    message: /without a tag or digest/,
  },
  'an image with a bad digest': {
    inputs: { images: 'ghcr.io/shop/web@sha256:1234' },
    input: 'images',
    message: /is not a digest/,
  },
  'an image with a bad port': {
    inputs: { images: 'registry.example.com:0/shop/web:1' },
    input: 'images',
    message: /invalid port/,
  },
  'two images for one repository': {
    inputs: { images: 'nginx:1.27\ndocker.io/library/nginx:1.28' },
    input: 'images',
    message: /gives two images for docker.io\/library\/nginx/,
  },
  'a namespace with capitals': {
    inputs: { namespace: 'Shop' },
    input: 'namespace',
    message: /expected a namespace name/,
  },
  'a namespace too long': {
    inputs: { namespace: 'a'.repeat(64) },
    input: 'namespace',
    message: /expected a namespace name/,
  },
  'a label without =': { inputs: { labels: 'team' }, input: 'labels', message: /expected key=value/ },
  'a label with a bad key': {
    inputs: { labels: '-team=shop' },
    input: 'labels',
    message: /the key "-team" is not valid/,
  },
  'a label with a bad value': {
    inputs: { labels: 'team=the shop' },
    input: 'labels',
    message: /a label value must be/,
  },
  'a label key given twice': {
    inputs: { labels: 'team=a\nteam=b' },
    input: 'labels',
    message: /given twice/,
  },
  'an annotation with a bad prefix': {
    inputs: { annotations: 'Example.COM/owner=me' },
    input: 'annotations',
    message: /must be a DNS subdomain/,
  },
  'a timeout that is no duration': {
    inputs: { timeout: '10 minutes' },
    input: 'timeout',
    message: /expected a duration/,
  },
  'a zero timeout': { inputs: { timeout: '0s' }, input: 'timeout', message: /from 1s to 6h/ },
  'a timeout over six hours': { inputs: { timeout: '7h' }, input: 'timeout', message: /from 1s to 6h/ },
  'negative max-restarts': {
    inputs: { 'max-restarts': '-1' },
    input: 'max-restarts',
    message: /whole number from 0 to 1000/,
  },
  'max-restarts in words': {
    inputs: { 'max-restarts': 'three' },
    input: 'max-restarts',
    message: /whole number/,
  },
  'wait: yes': { inputs: { wait: 'yes' }, input: 'wait', message: /expected true or false/ },
  'dry-run: 1': { inputs: { 'dry-run': '1' }, input: 'dry-run', message: /expected true or false/ },
  'rollback-on-failure: maybe': {
    inputs: { 'rollback-on-failure': 'maybe' },
    input: 'rollback-on-failure',
    message: /expected true or false/,
  },
  'force-conflicts: on': {
    inputs: { 'force-conflicts': 'on' },
    input: 'force-conflicts',
    message: /expected true or false/,
  },
  'a field manager over 128 characters': {
    inputs: { 'field-manager': 'm'.repeat(129) },
    input: 'field-manager',
    message: /1 to 128 printable ASCII/,
  },
  'a kubeconfig that is not YAML': {
    inputs: { kubeconfig: 'clusters: [\n  token: x' },
    input: 'kubeconfig',
    message: /not a kubeconfig: it is not valid YAML/,
  },
  'a kubeconfig that is a manifest': {
    inputs: { kubeconfig: DEPLOYMENT },
    input: 'kubeconfig',
    message: /not a kubeconfig/,
  },
  'a kubeconfig of base64 garbage': {
    inputs: { kubeconfig: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]).toString('base64') },
    input: 'kubeconfig',
    message: /neither kubeconfig YAML nor base64/,
  },
  'a kubeconfig with an http server': {
    inputs: {
      kubeconfig: kubeconfigWith(
        (config) =>
          ((config.clusters as { cluster: { server: string } }[])[0]!.cluster.server = 'http://127.0.0.1:1'),
      ),
    },
    input: 'kubeconfig',
    message: /plain http/,
  },
  'a kubeconfig whose server is no URL': {
    inputs: {
      kubeconfig: kubeconfigWith(
        (config) => ((config.clusters as { cluster: { server: string } }[])[0]!.cluster.server = '127.0.0.1'),
      ),
    },
    input: 'kubeconfig',
    message: /not an https:\/\/ URL/,
  },
  'a kubeconfig without contexts': {
    inputs: { kubeconfig: kubeconfigWith((config) => (config.contexts = [])) },
    input: 'kubeconfig',
    message: /"simulator", which is not a context/,
  },
  'a context that does not exist': {
    inputs: { context: 'production' },
    input: 'context',
    message: /Input "context" names "production"/,
  },
  'an environment name with a newline': {
    inputs: { environment: 'prod\nuction' },
    input: 'environment',
    message: /expected a GitHub environment name of at most 255 printable characters/,
  },
  'an environment name of 256 characters': {
    inputs: { environment: 'e'.repeat(256) },
    input: 'environment',
    message: /at most 255 printable characters/,
  },
  'an environment URL without a scheme': {
    inputs: { 'environment-url': 'shop.example.com' },
    input: 'environment-url',
    message: /expected an http or https URL/,
  },
  'an ftp environment URL': {
    inputs: { 'environment-url': 'ftp://shop.example.com' },
    input: 'environment-url',
    message: /expected an http or https URL/,
  },
  'record-deployment not a boolean': {
    inputs: { 'record-deployment': 'sometimes' },
    input: 'record-deployment',
    message: /Input "record-deployment"/,
  },
  'production-environment not a boolean': {
    inputs: { 'production-environment': 'maybe' },
    input: 'production-environment',
    message: /Input "production-environment"/,
  },
  'transient-environment not a boolean': {
    inputs: { 'transient-environment': '0' },
    input: 'transient-environment',
    message: /Input "transient-environment"/,
  },
  'a kubeconfig alias bomb': {
    inputs: { kubeconfig: `${bomb}\nclusters: [*e]` },
    input: 'kubeconfig',
    message: /not a kubeconfig/,
  },
};

describe('bad inputs: a clear error and nothing sent to the cluster', () => {
  it('has at least 40 cases', () => {
    expect(Object.keys(BAD).length).toBeGreaterThanOrEqual(40);
  });

  it.each(Object.entries(BAD))('%s', async (_name, bad) => {
    for (const [path, text] of Object.entries(bad.files ?? {})) write(path, text);
    setInputs(bad.inputs);
    const before = simulator.requests.length;
    const saved = process.env.GITHUB_WORKSPACE;
    process.env.GITHUB_WORKSPACE = workspace.path;
    let error: unknown;
    try {
      await run({ signal: new AbortController().signal, startedAt: Date.now() });
    } catch (caught) {
      error = caught;
    } finally {
      if (saved === undefined) delete process.env.GITHUB_WORKSPACE;
      else process.env.GITHUB_WORKSPACE = saved;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toMatch(bad.message);
    expect((error as ConfigurationError).input).toBe(bad.input);
    expect((error as ConfigurationError).message).not.toContain('bad-input-token-never-shown');
    expect((error as ConfigurationError).message).not.toContain(simulator.token);
    expect(simulator.requests.length - before).toBe(0);
  });
});

describe('good inputs', () => {
  it('has defaults for everything but manifests, and renders before any request', async () => {
    setInputs({ images: `registry.example.com:5000/shop/web@sha256:${'b'.repeat(64)}` });
    const inputs = await readInputs({ ...env(), GITHUB_SHA: 'abc1234', GITHUB_REF: 'refs/heads/main' });
    expect(inputs).toMatchObject({
      namespace: 'default',
      fieldManager: 'gantry',
      forceConflicts: false,
      dryRun: false,
      wait: true,
      timeoutMs: 600_000,
      maxRestarts: 3,
      rollbackOnFailure: true,
    });
    expect(inputs.imageChanges.map((change) => change.container)).toEqual(['migrate', 'app']);
    expect(inputs.manifests[0]?.object.metadata.annotations).toMatchObject({
      'gantry.dev/commit': 'abc1234',
      'gantry.dev/ref': 'refs/heads/main',
    });
    expect(inputs.cluster.context).toBe('simulator');
  });

  it('takes the namespace from the kubeconfig context when the input is empty', async () => {
    setInputs({
      kubeconfig: kubeconfigWith(
        (config) =>
          ((config.contexts as { context: Record<string, string> }[])[0]!.context.namespace = 'team-a'),
      ),
    });
    expect((await readInputs(env())).namespace).toBe('team-a');
    setInputs({ namespace: 'shop' });
    expect((await readInputs(env())).namespace).toBe('shop');
  });
});
