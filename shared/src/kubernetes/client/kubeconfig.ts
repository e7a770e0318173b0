import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigurationError } from '../../errors.ts';
import { maskSecret } from '../../runner/secrets.ts';
import { capitalise, checkCluster, checkUser, listOf, readEntries } from './kubeconfig-entries.ts';
import { isRecord } from '../object.ts';

/**
 * Finds the cluster credentials the way kubectl does, with the action input first: the `kubeconfig`
 * input (YAML, or base64 of it), else the files in KUBECONFIG (merged, first file wins), else
 * ~/.kube/config (where `aws eks update-kubeconfig` writes), else the in-cluster service account.
 * Everything is checked and every secret in it masked before the Kubernetes client is loaded.
 */
export interface KubeconfigSource {
  /** Where the credentials came from, for messages. */
  origin: string;
  /** A kubeconfig (JSON, which is YAML) with file paths made absolute, or the in-cluster account. */
  config: { kind: 'kubeconfig'; text: string } | { kind: 'in-cluster'; directory: string };
  context: string;
  server: string;
  /** The context's namespace: the default for objects that name none. */
  namespace: string | undefined;
}

export interface KubeconfigOptions {
  /** The raw input value: kubeconfig YAML or its base64. */
  input?: string;
  /** The context to use instead of current-context. */
  context?: string;
  inputName?: string;
  contextInputName?: string;
  env?: Record<string, string | undefined>;
  /** Relative paths in an input kubeconfig are relative to this (the workspace). */
  cwd?: string;
  home?: string;
  /** Where a pod's service account is mounted; tests point it elsewhere. */
  serviceAccountDir?: string;
}

const MAX_KUBECONFIG_BYTES = 1024 * 1024;
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export async function resolveKubeconfig(options: KubeconfigOptions = {}): Promise<KubeconfigSource> {
  const env = options.env ?? process.env;
  const inputName = options.inputName ?? 'kubeconfig';
  const contextInput = options.contextInputName ?? 'context';
  const input = options.input?.trim();
  if (input) {
    const text = decodeInput(input, inputName);
    const origin = `the ${inputName} input`;
    const config = await parseKubeconfig(text, origin, inputName);
    return fromConfig(
      resolvePaths(config, options.cwd ?? process.cwd()),
      origin,
      options.context,
      contextInput,
      inputName,
    );
  }
  const fromEnv = env.KUBECONFIG?.split(delimiter).filter(Boolean) ?? [];
  const home = options.home ?? homedir();
  const defaultFile = join(home, '.kube', 'config');
  const files = fromEnv.length > 0 ? fromEnv : existsSync(defaultFile) ? [defaultFile] : [];
  if (files.length > 0) {
    const origin = fromEnv.length > 0 ? `KUBECONFIG (${files.join(delimiter)})` : defaultFile;
    const configs: Record<string, unknown>[] = [];
    for (const file of files) {
      // kubectl skips KUBECONFIG entries that do not exist, but fails when none does.
      if (!existsSync(file)) continue;
      const text = readLimited(file, origin, inputName);
      configs.push(
        resolvePaths(await parseKubeconfig(text, `${file} (from ${origin})`, inputName), dirname(file)),
      );
    }
    if (configs.length === 0) {
      throw new ConfigurationError(`KUBECONFIG names ${files.join(', ')}, and none of these files exists.`, {
        input: inputName,
        hint: 'set the kubeconfig input, or create the file before this step',
      });
    }
    return fromConfig(mergeConfigs(configs), origin, options.context, contextInput, inputName);
  }
  const serviceAccount = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  if (env.KUBERNETES_SERVICE_HOST && existsSync(join(serviceAccount, 'token'))) {
    return inCluster(env, serviceAccount, options.context, contextInput);
  }
  throw new ConfigurationError(
    `No cluster credentials: the ${inputName} input is empty, KUBECONFIG is not set, ${defaultFile} does not exist, and this step is not running inside a cluster.`,
    {
      input: inputName,
      hint: `pass a kubeconfig secret (${inputName}: \${{ secrets.KUBECONFIG }}), or set one up before this step (aws eks update-kubeconfig, azure/k8s-set-context, google-github-actions/get-gke-credentials)`,
    },
  );
}

/** Base64 is recognised by its alphabet: a kubeconfig in YAML always has a colon, which base64 never does. */
function decodeInput(input: string, inputName: string): string {
  if (input.length > MAX_KUBECONFIG_BYTES * 2) {
    throw new ConfigurationError(
      `Input "${inputName}" is larger than ${MAX_KUBECONFIG_BYTES / 1024} KiB: that is no kubeconfig.`,
      {
        input: inputName,
      },
    );
  }
  const compact = input.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return input;
  maskSecret(compact);
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  if (decoded.includes('\uFFFD') || !/[:{]/.test(decoded)) {
    throw new ConfigurationError(
      `Input "${inputName}" is neither kubeconfig YAML nor base64 of it: it decodes to binary data.`,
      { input: inputName, hint: 'give the file itself, or `base64 -w0 kubeconfig`' },
    );
  }
  return decoded;
}

function readLimited(file: string, origin: string, inputName: string): string {
  const size = statSync(file).size;
  if (size > MAX_KUBECONFIG_BYTES) {
    throw new ConfigurationError(`${file} (from ${origin}) is ${size} bytes: that is no kubeconfig.`, {
      input: inputName,
    });
  }
  return readFileSync(file, 'utf8');
}

async function parseKubeconfig(
  text: string,
  origin: string,
  inputName: string,
): Promise<Record<string, unknown>> {
  const { parse } = await import('yaml');
  let value: unknown;
  try {
    // A kubeconfig has no reason for aliases at all: a few are allowed, a bomb is not.
    value = parse(text, { maxAliasCount: 10 });
  } catch (error) {
    // The parser's message quotes the text around the error, which may be a token: only the line
    // number is shown.
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new ConfigurationError(
      `${capitalise(origin)} is not a kubeconfig: it is not valid YAML${line ? ` (line ${line})` : ''}.`,
      { input: inputName },
    );
  }
  if (!isRecord(value) || !['clusters', 'contexts', 'users'].some((key) => key in value)) {
    throw new ConfigurationError(
      `${capitalise(origin)} is not a kubeconfig: expected a YAML mapping with clusters, users and contexts (apiVersion: v1, kind: Config).`,
      { input: inputName },
    );
  }
  maskConfigSecrets(value);
  return value;
}

/** Every credential in the file is masked, not only the chosen user's: the whole file is secret. */
function maskConfigSecrets(config: Record<string, unknown>): void {
  for (const entry of listOf(config.users)) {
    const user = isRecord(entry) && isRecord(entry.user) ? entry.user : {};
    for (const key of ['token', 'password', 'client-key-data', 'client-certificate-data']) {
      const value = user[key];
      if (typeof value !== 'string') continue;
      maskSecret(value);
      if (key.endsWith('-data')) maskSecret(Buffer.from(value, 'base64').toString('utf8').trim());
    }
    const provider = isRecord(user['auth-provider']) ? user['auth-provider'] : {};
    const providerConfig = isRecord(provider.config) ? provider.config : {};
    for (const key of ['access-token', 'id-token', 'refresh-token', 'client-secret']) {
      if (typeof providerConfig[key] === 'string') maskSecret(providerConfig[key]);
    }
    const exec = isRecord(user.exec) ? user.exec : {};
    for (const variable of listOf(exec.env)) {
      // Short values (a profile name, a region) are left alone: masking them would shred the log.
      if (isRecord(variable) && typeof variable.value === 'string' && variable.value.length >= 8) {
        maskSecret(variable.value);
      }
    }
  }
}

function resolvePaths(config: Record<string, unknown>, base: string): Record<string, unknown> {
  const absolute = (value: unknown): unknown =>
    typeof value === 'string' && value !== '' && !isAbsolute(value) ? resolve(base, value) : value;
  for (const entry of listOf(config.clusters)) {
    if (isRecord(entry) && isRecord(entry.cluster)) {
      entry.cluster['certificate-authority'] = absolute(entry.cluster['certificate-authority']);
    }
  }
  for (const entry of listOf(config.users)) {
    if (!isRecord(entry) || !isRecord(entry.user)) continue;
    for (const key of ['client-certificate', 'client-key', 'tokenFile', 'token-file']) {
      if (key in entry.user) entry.user[key] = absolute(entry.user[key]);
    }
    // kubectl's key is tokenFile; @kubernetes/client-node reads only token-file.
    if (typeof entry.user.tokenFile === 'string' && !('token-file' in entry.user)) {
      entry.user['token-file'] = entry.user.tokenFile;
    }
  }
  return config;
}

/** kubectl's merge: the first file to define a name wins, and the first current-context wins. */
function mergeConfigs(configs: Record<string, unknown>[]): Record<string, unknown> {
  const merged: Record<string, unknown[]> = { clusters: [], users: [], contexts: [] };
  let current: unknown;
  for (const config of configs) {
    current ??= config['current-context'] || undefined;
    for (const key of ['clusters', 'users', 'contexts'] as const) {
      const seen = new Set(merged[key]?.map((entry) => (isRecord(entry) ? entry.name : undefined)));
      for (const entry of listOf(config[key])) {
        if (isRecord(entry) && !seen.has(entry.name)) merged[key]?.push(entry);
      }
    }
  }
  return { apiVersion: 'v1', kind: 'Config', ...merged, 'current-context': current };
}

function fromConfig(
  raw: Record<string, unknown>,
  origin: string,
  wantedContext: string | undefined,
  contextInput: string,
  inputName: string,
): KubeconfigSource {
  const config = readEntries(raw, origin, inputName);
  const contextName = wantedContext ?? config.currentContext;
  const names = config.contexts.map((entry) => entry.name);
  if (!contextName) {
    throw new ConfigurationError(
      `${capitalise(origin)} sets no current-context and the ${contextInput} input is empty.`,
      {
        input: contextInput,
        hint: names.length
          ? `set ${contextInput} to one of: ${names.join(', ')}`
          : 'the kubeconfig has no contexts',
      },
    );
  }
  const context = config.contexts.find((entry) => entry.name === contextName);
  if (!context) {
    const from = wantedContext ? `Input "${contextInput}" names` : `The current-context of ${origin} is`;
    throw new ConfigurationError(
      `${from} "${contextName}", which is not a context of ${origin}: ${names.length ? `it has ${names.join(', ')}` : 'it has none'}.`,
      { input: wantedContext ? contextInput : inputName },
    );
  }
  const clusterName = context.body.cluster;
  const cluster = config.clusters.find((entry) => entry.name === clusterName);
  if (!cluster) {
    throw new ConfigurationError(
      `Context "${context.name}" of ${origin} uses cluster "${String(clusterName)}", which the kubeconfig does not define.`,
      { input: inputName },
    );
  }
  const userName = context.body.user;
  if (userName !== undefined && userName !== '' && !config.users.some((entry) => entry.name === userName)) {
    throw new ConfigurationError(
      `Context "${context.name}" of ${origin} uses user "${String(userName)}", which the kubeconfig does not define.`,
      { input: inputName },
    );
  }
  const server = checkCluster(cluster, origin, inputName);
  const user = config.users.find((entry) => entry.name === userName);
  if (user) checkUser(user, origin, inputName);
  const namespace =
    typeof context.body.namespace === 'string' && context.body.namespace ? context.body.namespace : undefined;
  return {
    origin,
    config: { kind: 'kubeconfig', text: JSON.stringify({ ...raw, 'current-context': context.name }) },
    context: context.name,
    server,
    namespace,
  };
}

function inCluster(
  env: Record<string, string | undefined>,
  directory: string,
  context: string | undefined,
  contextInput: string,
): KubeconfigSource {
  if (context) {
    throw new ConfigurationError(
      `Input "${contextInput}" is "${context}", but there is no kubeconfig to choose a context from (in-cluster credentials).`,
      {
        input: contextInput,
      },
    );
  }
  maskSecret(readFileSync(join(directory, 'token'), 'utf8').trim());
  const namespaceFile = join(directory, 'namespace');
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  return {
    origin: 'the in-cluster service account',
    config: { kind: 'in-cluster', directory },
    context: 'in-cluster',
    server: `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`,
    namespace: existsSync(namespaceFile)
      ? readFileSync(namespaceFile, 'utf8').trim() || undefined
      : undefined,
  };
}
