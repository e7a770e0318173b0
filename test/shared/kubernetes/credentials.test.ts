import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import { ActionError } from '../../../shared/src/errors.ts';
import { KubernetesConnectionError } from '../../../shared/src/kubernetes/client/api-error.ts';
import {
  createKubernetesClient,
  type KubernetesClient,
} from '../../../shared/src/kubernetes/client/client.ts';
import {
  resolveKubeconfig,
  type KubeconfigOptions,
} from '../../../shared/src/kubernetes/client/kubeconfig.ts';
import { startKubernetesSimulator, type KubernetesSimulator } from '../../support/k8s-simulator/index.ts';
import { generateTestCertificates, type TestCertificates } from '../../support/tls-certificates.ts';
import { capture, tempDir, type Captured, type TempDir } from '../helpers.ts';
import { startConnectProxy, startSocks5Proxy } from './proxies.ts';

/**
 * Every way a kubeconfig authenticates, through the parts of @kubernetes/client-node the client
 * loads (credentials.ts): against the simulator, which accepts only its bearer token, and against
 * an HTTPS server that echoes what reached it (Authorization, Impersonate-User, client certificate).
 */

let simulator: KubernetesSimulator;
let certificates: TestCertificates;
let echo: Server;
let echoServer: string;
let stdout: Captured;
let dir: TempDir;
const clients: KubernetesClient[] = [];

beforeAll(async () => {
  simulator = await startKubernetesSimulator();
  certificates = generateTestCertificates();
  echo = createServer(
    { ...certificates.server, requestCert: true, rejectUnauthorized: false },
    (request, response) => {
      const peer = (request.socket as TLSSocket).getPeerCertificate();
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          authorization: request.headers.authorization ?? null,
          impersonate: request.headers['impersonate-user'] ?? null,
          clientCertificate: peer?.fingerprint256 ?? null,
        }),
      );
    },
  );
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoServer = `https://127.0.0.1:${(echo.address() as { port: number }).port}`;
});
afterAll(async () => {
  await simulator.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});
beforeEach(() => {
  stdout = capture();
  dir = tempDir('gantry-credentials-');
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  stdout.restore();
  dir.remove();
});

const base64 = (text: string): string => Buffer.from(text).toString('base64');

function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'test',
    clusters: [{ name: 'test', cluster }],
    users: [{ name: 'test', user }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: 'test' } }],
  });
}

/** The simulator's cluster entry: its server and CA, and anything more a test adds. */
function simulatorCluster(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    server: simulator.server,
    'certificate-authority-data': base64(simulator.caCertificate),
    ...extra,
  };
}

function echoCluster(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { server: echoServer, 'certificate-authority-data': base64(certificates.ca.cert), ...extra };
}

async function client(
  input: string,
  options: KubeconfigOptions & { attempts?: number } = {},
): Promise<KubernetesClient> {
  const { attempts = 1, ...kubeconfigOptions } = options;
  const source = await resolveKubeconfig({ input, env: {}, cwd: dir.path, ...kubeconfigOptions });
  const created = await createKubernetesClient(source, { attempts });
  clients.push(created);
  return created;
}

/** A request only the simulator's token gets an answer to. */
async function listConfigMaps(kube: KubernetesClient): Promise<string | undefined> {
  const list = await kube.requestJson({ path: '/api/v1/namespaces/default/configmaps' });
  return list.kind;
}

interface Echoed {
  authorization: string | null;
  impersonate: string | null;
  clientCertificate: string | null;
}

function echoed(kube: KubernetesClient): Promise<Echoed> {
  return kube.requestJson<Echoed>({ path: '/echo' });
}

describe('against the simulator, which takes only its token', () => {
  it('reads the token from token-file', async () => {
    const tokenFile = dir.file('token', `${simulator.token}\n`);
    const kube = await client(kubeconfig(simulatorCluster(), { 'token-file': tokenFile }));
    expect(await listConfigMaps(kube)).toBe('ConfigMapList');
  });

  it('runs an exec credential plugin once, with its env, and uses the token it prints', async () => {
    const runs = dir.file('runs');
    const plugin = dir.file(
      'plugin.mjs',
      `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(runs)}, 'run\\n');
console.log(JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1',
  kind: 'ExecCredential',
  status: { token: process.env.PLUGIN_TOKEN },
}));`,
    );
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: process.execPath,
      args: [plugin],
      env: [{ name: 'PLUGIN_TOKEN', value: simulator.token }],
      interactiveMode: 'Never',
    };
    const kube = await client(kubeconfig(simulatorCluster(), { exec }));
    expect(await listConfigMaps(kube)).toBe('ConfigMapList');
    expect(await listConfigMaps(kube)).toBe('ConfigMapList');
    // No expirationTimestamp: the credential is kept for the whole run, as kubectl keeps it.
    expect(readFileSync(runs, 'utf8')).toBe('run\n');
  });

  it('reports a failing exec plugin once, with what it said, and one that is not installed', async () => {
    const runs = dir.file('runs');
    const plugin = dir.file(
      'plugin.mjs',
      `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(runs)}, 'run\\n');
console.error('Unable to locate credentials. You can configure credentials by running "aws configure".');
process.exit(255);`,
    );
    const failing = await client(
      kubeconfig(simulatorCluster(), { exec: { command: process.execPath, args: [plugin] } }),
      { attempts: 6 },
    );
    const requestsBefore = simulator.requests.length;
    const error = await listConfigMaps(failing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).message).toBe(
      'Getting the credentials of kubeconfig user "test" failed: Unable to locate credentials. You can configure credentials by running "aws configure".',
    );
    expect(readFileSync(runs, 'utf8')).toBe('run\n');
    // Refused before any request: no call without credentials reached the API server.
    expect(simulator.requests.length).toBe(requestsBefore);

    const missing = await client(
      kubeconfig(simulatorCluster(), { exec: { command: 'gantry-no-such-auth-plugin' } }),
    );
    const notFound = await listConfigMaps(missing).catch((caught: unknown) => caught);
    expect((notFound as ActionError).message).toBe(
      'Getting the credentials of kubeconfig user "test" failed: "gantry-no-such-auth-plugin" was not found.',
    );
    expect((notFound as ActionError).hint).toMatch(/must be installed on the runner/);
  });

  it('uses the in-cluster service account: its CA and its token file', async () => {
    dir.file('token', `${simulator.token}\n`);
    dir.file('ca.crt', simulator.caCertificate);
    dir.file('namespace', 'default');
    const port = new URL(simulator.server).port;
    const kube = await client('', {
      env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port },
      serviceAccountDir: dir.path,
      home: dir.path,
    });
    expect(kube.namespace).toBe('default');
    expect(await listConfigMaps(kube)).toBe('ConfigMapList');
  });

  it('trusts only the kubeconfig CA, unless insecure-skip-tls-verify says otherwise', async () => {
    const unrelatedCa = { 'certificate-authority-data': base64(certificates.ca.cert) };
    const refused = await client(kubeconfig(simulatorCluster(unrelatedCa), { token: simulator.token }));
    const error = await listConfigMaps(refused).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubernetesConnectionError);
    expect((error as KubernetesConnectionError).transient).toBe(false);

    const skipping = await client(
      kubeconfig({ server: simulator.server, 'insecure-skip-tls-verify': true }, { token: simulator.token }),
    );
    expect(await listConfigMaps(skipping)).toBe('ConfigMapList');
  });

  it('tunnels through an HTTP CONNECT proxy-url', async () => {
    const proxy = await startConnectProxy();
    try {
      const kube = await client(
        kubeconfig(simulatorCluster({ 'proxy-url': proxy.url }), { token: simulator.token }),
      );
      expect(await listConfigMaps(kube)).toBe('ConfigMapList');
      expect(proxy.tunnels).toEqual([new URL(simulator.server).host]);
    } finally {
      await proxy.close();
    }
  });

  it('tunnels through a SOCKS5 proxy-url', async () => {
    const proxy = await startSocks5Proxy();
    try {
      const kube = await client(
        kubeconfig(simulatorCluster({ 'proxy-url': proxy.url }), { token: simulator.token }),
      );
      expect(await listConfigMaps(kube)).toBe('ConfigMapList');
      expect(proxy.tunnels).toEqual([new URL(simulator.server).host]);
    } finally {
      await proxy.close();
    }
  });
});

describe('against a server that echoes what reached it', () => {
  it('presents the client certificate, from data or from files', async () => {
    const fingerprint = new X509Certificate(certificates.unrelated.cert).fingerprint256;
    const fromData = await client(
      kubeconfig(echoCluster(), {
        'client-certificate-data': base64(certificates.unrelated.cert),
        'client-key-data': base64(certificates.unrelated.key),
      }),
    );
    expect(await echoed(fromData)).toEqual({
      authorization: null,
      impersonate: null,
      clientCertificate: fingerprint,
    });

    dir.file('client.crt', certificates.unrelated.cert);
    dir.file('client.key', certificates.unrelated.key);
    // Relative paths are the workspace's, made absolute when the kubeconfig is read.
    const fromFiles = await client(
      kubeconfig(echoCluster(), { 'client-certificate': 'client.crt', 'client-key': 'client.key' }),
    );
    expect((await echoed(fromFiles)).clientCertificate).toBe(fingerprint);
  });

  it('sends basic auth, a token over it, and the user to impersonate', async () => {
    const basic = await client(
      kubeconfig(echoCluster(), { username: 'deployer', password: 'secret-password' }),
    );
    expect((await echoed(basic)).authorization).toBe(`Basic ${base64('deployer:secret-password')}`);

    const both = await client(
      kubeconfig(echoCluster(), {
        username: 'deployer',
        password: 'secret-password',
        token: 'the-token',
        as: 'ci-bot',
      }),
    );
    expect(await echoed(both)).toMatchObject({ authorization: 'Bearer the-token', impersonate: 'ci-bot' });
  });

  it('checks the server certificate against tls-server-name', async () => {
    const named = await client(
      kubeconfig(echoCluster({ 'tls-server-name': 'localhost' }), { token: 'a-token' }),
    );
    expect((await echoed(named)).authorization).toBe('Bearer a-token');

    const misnamed = await client(
      kubeconfig(echoCluster({ 'tls-server-name': 'api.elsewhere.example' }), { token: 'a-token' }),
    );
    const error = await echoed(misnamed).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubernetesConnectionError);
    expect((error as KubernetesConnectionError).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('sends an OIDC auth-provider id-token while it is valid', async () => {
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const idToken = `${part({ alg: 'RS256' })}.${part({ exp: Math.floor(Date.now() / 1000) + 3600 })}.${createHash('sha256').update('signature').digest('base64url')}`;
    const kube = await client(
      kubeconfig(echoCluster(), {
        'auth-provider': {
          name: 'oidc',
          config: {
            'client-id': 'kubernetes',
            'id-token': idToken,
            'idp-issuer-url': 'https://issuer.example',
          },
        },
      }),
    );
    expect((await echoed(kube)).authorization).toBe(`Bearer ${idToken}`);
  });
});
