import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import { ConfigurationError } from '../../../shared/src/errors.ts';
import {
  resolveKubeconfig,
  type KubeconfigOptions,
} from '../../../shared/src/kubernetes/client/kubeconfig.ts';
import { redact } from '../../../shared/src/runner/secrets.ts';
import { capture, tempDir, type Captured, type TempDir } from '../helpers.ts';

const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n').toString(
  'base64',
);
const KEY_PEM =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7kubekey\n-----END PRIVATE KEY-----';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.kubeconfig-test-token.c2lnbmF0dXJl';

function kubeconfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'staging',
    clusters: [
      { name: 'staging', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': CA } },
      { name: 'prod', cluster: { server: 'https://prod.example.com', 'certificate-authority-data': CA } },
    ],
    users: [
      { name: 'deployer', user: { token: TOKEN } },
      {
        name: 'admin',
        user: { 'client-certificate-data': CA, 'client-key-data': Buffer.from(KEY_PEM).toString('base64') },
      },
    ],
    contexts: [
      { name: 'staging', context: { cluster: 'staging', user: 'deployer', namespace: 'shop' } },
      { name: 'prod', context: { cluster: 'prod', user: 'admin' } },
    ],
    ...overrides,
  };
}

let stdout: Captured;
let dir: TempDir;
beforeEach(() => {
  stdout = capture();
  dir = tempDir('gantry-kubeconfig-');
});
afterEach(() => {
  stdout.restore();
  dir.remove();
});

/** No KUBECONFIG, no home kubeconfig, no service account unless a test gives them. */
function options(extra: KubeconfigOptions = {}): KubeconfigOptions {
  return {
    env: {},
    home: join(dir.path, 'home'),
    serviceAccountDir: join(dir.path, 'no-sa'),
    cwd: dir.path,
    ...extra,
  };
}

async function failure(extra: KubeconfigOptions): Promise<ConfigurationError> {
  try {
    await resolveKubeconfig(options(extra));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('the kubeconfig input', () => {
  it('reads YAML: current-context, its server and namespace', async () => {
    const source = await resolveKubeconfig(options({ input: stringify(kubeconfig()) }));
    expect(source).toMatchObject({
      origin: 'the kubeconfig input',
      context: 'staging',
      server: 'https://10.0.0.1:6443',
      namespace: 'shop',
    });
    expect(source.config.kind === 'kubeconfig' && JSON.parse(source.config.text)['current-context']).toBe(
      'staging',
    );
  });

  it('reads base64 of it, wrapped or not', async () => {
    const encoded = Buffer.from(stringify(kubeconfig())).toString('base64');
    const wrapped = encoded.replace(/(.{76})/g, '$1\n');
    for (const input of [encoded, wrapped]) {
      expect((await resolveKubeconfig(options({ input }))).server).toBe('https://10.0.0.1:6443');
    }
    expect(redact(encoded)).toBe('***');
  });

  it('uses the context input over current-context', async () => {
    const source = await resolveKubeconfig(options({ input: stringify(kubeconfig()), context: 'prod' }));
    expect(source).toMatchObject({
      context: 'prod',
      server: 'https://prod.example.com',
      namespace: undefined,
    });
    expect(source.config.kind === 'kubeconfig' && JSON.parse(source.config.text)['current-context']).toBe(
      'prod',
    );
  });

  it('masks the token and the client key (base64 and decoded) of every user at once', async () => {
    const fresh = `${TOKEN}-masked-once`;
    const users = [...(kubeconfig().users as object[]), { name: 'fresh', user: { token: fresh } }];
    await resolveKubeconfig(options({ input: stringify(kubeconfig({ users })) }));
    expect(stdout.text()).toContain(`::add-mask::${fresh}`);
    const keyData = Buffer.from(KEY_PEM).toString('base64');
    expect(redact(`token ${TOKEN}`)).toBe('token ***');
    expect(redact(keyData)).toBe('***');
    expect(redact('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7kubekey')).toBe('***');
  });

  it('masks passwords, auth-provider tokens and long exec environment values', async () => {
    const users = [
      { name: 'basic', user: { username: 'ci', password: 'basic-password-value' } },
      {
        name: 'oidc',
        user: {
          'auth-provider': {
            name: 'oidc',
            config: { 'id-token': 'oidc-id-token-value', 'refresh-token': 'oidc-refresh-value' },
          },
        },
      },
      {
        name: 'eks',
        user: {
          exec: {
            command: 'aws',
            env: [
              { name: 'AWS_PROFILE', value: 'ci' },
              { name: 'SECRET', value: 'exec-secret-value' },
            ],
          },
        },
      },
    ];
    await resolveKubeconfig(
      options({ input: stringify(kubeconfig({ users: [...users, { name: 'deployer', user: {} }] })) }),
    );
    expect(redact('basic-password-value oidc-id-token-value oidc-refresh-value exec-secret-value ci')).toBe(
      '*** *** *** *** ci',
    );
  });

  it('makes relative certificate paths absolute against the workspace', async () => {
    dir.file('ca.crt', '-----BEGIN CERTIFICATE-----\n');
    const config = kubeconfig({
      clusters: [
        { name: 'staging', cluster: { server: 'https://k8s.local', 'certificate-authority': 'ca.crt' } },
      ],
    });
    const source = await resolveKubeconfig(options({ input: stringify(config) }));
    const text = source.config.kind === 'kubeconfig' ? source.config.text : '';
    expect(JSON.parse(text).clusters[0].cluster['certificate-authority']).toBe(join(dir.path, 'ca.crt'));
  });
});

describe('without the input', () => {
  it('merges the KUBECONFIG files, the first file winning, paths relative to each file', async () => {
    mkdirSync(join(dir.path, 'a'));
    dir.file('a/ca.crt', 'x');
    const first = dir.file(
      'a/config',
      stringify({
        'current-context': 'one',
        clusters: [
          { name: 'c', cluster: { server: 'https://first.example.com', 'certificate-authority': 'ca.crt' } },
        ],
        users: [{ name: 'u', user: { token: 'first-file-token' } }],
        contexts: [{ name: 'one', context: { cluster: 'c', user: 'u' } }],
      }),
    );
    const second = dir.file(
      'second',
      stringify({
        'current-context': 'two',
        clusters: [
          { name: 'c', cluster: { server: 'https://second.example.com' } },
          { name: 'd', cluster: { server: 'https://d.example.com' } },
        ],
        users: [],
        contexts: [{ name: 'two', context: { cluster: 'd' } }],
      }),
    );
    const source = await resolveKubeconfig(
      options({ env: { KUBECONFIG: `${first}:${join(dir.path, 'missing')}:${second}` } }),
    );
    expect(source).toMatchObject({ context: 'one', server: 'https://first.example.com' });
    expect(source.origin).toContain('KUBECONFIG');
    const merged = JSON.parse(source.config.kind === 'kubeconfig' ? source.config.text : '{}');
    expect(merged.clusters.map((cluster: { name: string }) => cluster.name)).toEqual(['c', 'd']);
    expect(merged.clusters[0].cluster['certificate-authority']).toBe(join(dir.path, 'a', 'ca.crt'));
    expect(redact('first-file-token')).toBe('***');
    const other = await resolveKubeconfig(
      options({ env: { KUBECONFIG: `${first}:${second}` }, context: 'two' }),
    );
    expect(other.server).toBe('https://d.example.com');
  });

  it('falls back to ~/.kube/config, where aws eks update-kubeconfig writes', async () => {
    mkdirSync(join(dir.path, 'home', '.kube'), { recursive: true });
    dir.file('home/.kube/config', stringify(kubeconfig()));
    const source = await resolveKubeconfig(options());
    expect(source.origin).toBe(join(dir.path, 'home', '.kube', 'config'));
    expect(source.server).toBe('https://10.0.0.1:6443');
  });

  it('uses the in-cluster service account last, and masks its token', async () => {
    mkdirSync(join(dir.path, 'sa'));
    dir.file('sa/token', 'in-cluster-service-account-token\n');
    dir.file('sa/namespace', 'ci');
    const source = await resolveKubeconfig(
      options({
        env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
        serviceAccountDir: join(dir.path, 'sa'),
      }),
    );
    expect(source).toMatchObject({
      context: 'in-cluster',
      server: 'https://10.96.0.1:443',
      namespace: 'ci',
      config: { kind: 'in-cluster' },
    });
    expect(redact('in-cluster-service-account-token')).toBe('***');
  });
});

describe('what is refused, without ever showing a credential', () => {
  const yaml = (config: Record<string, unknown>): string => stringify(config);
  it.each<[string, KubeconfigOptions, RegExp, string]>([
    [
      'no credentials anywhere',
      {},
      /No cluster credentials: the kubeconfig input is empty, KUBECONFIG is not set/,
      'kubeconfig',
    ],
    [
      'not YAML',
      { input: `apiVersion: v1\nclusters: [\n  token: ${TOKEN}` },
      /is not a kubeconfig: it is not valid YAML \(line \d+\)/,
      'kubeconfig',
    ],
    [
      'a YAML list',
      { input: '- a\n- b' },
      /not a kubeconfig: expected a YAML mapping with clusters/,
      'kubeconfig',
    ],
    [
      'a manifest, not a kubeconfig',
      { input: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x' },
      /not a kubeconfig/,
      'kubeconfig',
    ],
    [
      'base64 of binary data',
      { input: Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x92]).toString('base64') },
      /neither kubeconfig YAML nor base64 of it/,
      'kubeconfig',
    ],
    [
      'clusters is not a list',
      { input: yaml(kubeconfig({ clusters: { staging: {} } })) },
      /"clusters" is not a list/,
      'kubeconfig',
    ],
    [
      'a context without a name',
      { input: yaml(kubeconfig({ contexts: [{ context: { cluster: 'staging' } }] })) },
      /entry 1 of "contexts" has no name/,
      'kubeconfig',
    ],
    [
      'no current-context and no context input',
      { input: yaml(kubeconfig({ 'current-context': '' })) },
      /sets no current-context and the context input is empty/,
      'context',
    ],
    [
      'a context input that does not exist',
      { input: yaml(kubeconfig()), context: 'qa' },
      /Input "context" names "qa", which is not a context of the kubeconfig input: it has staging, prod/,
      'context',
    ],
    [
      'a current-context that does not exist',
      { input: yaml(kubeconfig({ 'current-context': 'gone' })) },
      /current-context of the kubeconfig input is "gone"/,
      'kubeconfig',
    ],
    [
      'a context whose cluster is missing',
      { input: yaml(kubeconfig({ clusters: [] })) },
      /uses cluster "staging", which the kubeconfig does not define/,
      'kubeconfig',
    ],
    [
      'a context whose user is missing',
      { input: yaml(kubeconfig({ users: [] })) },
      /uses user "deployer", which the kubeconfig does not define/,
      'kubeconfig',
    ],
    [
      'a server that is no URL',
      { input: yaml(kubeconfig({ clusters: [{ name: 'staging', cluster: { server: 'k8s.local:6443' } }] })) },
      /has server "k8s.local:6443", which is not an https:\/\/ URL/,
      'kubeconfig',
    ],
    [
      'plain http without insecure-skip-tls-verify',
      {
        input: yaml(kubeconfig({ clusters: [{ name: 'staging', cluster: { server: 'http://k8s.local' } }] })),
      },
      /plain http:\/\//,
      'kubeconfig',
    ],
    [
      'CA data that is not PEM',
      {
        input: yaml(
          kubeconfig({
            clusters: [
              {
                name: 'staging',
                cluster: { server: 'https://k', 'certificate-authority-data': 'bm90IGEgY2VydA==' },
              },
            ],
          }),
        ),
      },
      /certificate-authority-data of cluster "staging" .* is not base64-encoded PEM/,
      'kubeconfig',
    ],
    [
      'a CA file that does not exist',
      {
        input: yaml(
          kubeconfig({
            clusters: [
              { name: 'staging', cluster: { server: 'https://k', 'certificate-authority': '/nope/ca.crt' } },
            ],
          }),
        ),
      },
      /names "\/nope\/ca.crt", which does not exist/,
      'kubeconfig',
    ],
    [
      'an exec plugin without a command',
      { input: yaml(kubeconfig({ users: [{ name: 'deployer', user: { exec: { args: ['x'] } } }] })) },
      /the exec of user "deployer" has no command/,
      'kubeconfig',
    ],
    [
      'a context input with in-cluster credentials',
      { context: 'x', env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' } },
      /No cluster credentials/,
      'kubeconfig',
    ],
    [
      'KUBECONFIG naming only missing files',
      { env: { KUBECONFIG: '/nope/a:/nope/b' } },
      /KUBECONFIG names \/nope\/a, \/nope\/b, and none of these files exists/,
      'kubeconfig',
    ],
    [
      'an alias bomb',
      {
        input: `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nclusters: [*c, *c, *c, *c, *c, *c]`,
      },
      /not a kubeconfig: it is not valid YAML/,
      'kubeconfig',
    ],
  ])('%s', async (_name, extra, message, input) => {
    const error = await failure(extra);
    expect(error.message).toMatch(message);
    expect(error.input).toBe(input);
    expect(error.message).not.toContain(TOKEN);
  });
});
