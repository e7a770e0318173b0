import { readFileSync } from 'node:fs';
import {
  ActionOnInvalid,
  newClusters,
  newContexts,
  newUsers,
  type Cluster,
  type User,
} from '@kubernetes/client-node/dist/config_types.js';
import { ActionError, ConfigurationError, errorMessage } from '../../errors.ts';
import type { KubeconfigSource } from './kubeconfig.ts';

/**
 * What @kubernetes/client-node's KubeConfig does before each request (config.js, applyOptions):
 * TLS material from the cluster and user, then the Authorization header from a token, a token file,
 * an exec credential plugin or an auth provider. It is done here with client-node's own modules for
 * these (config_types.js reads the kubeconfig entries, exec_auth.js, file_auth.js, azure_auth.js,
 * gcp_auth.js and oidc_auth.js authenticate), imported one by one: config.js, and so the package's
 * entry, statically imports the generated API client, 19 MB of models Gantry never uses (it sends
 * raw JSON), which cost half a second before the first request. Only oidc_auth.js still imports
 * config.js: it is loaded for an OIDC user alone.
 */

/** TLS and proxy settings of the connection to the API server. */
export interface ConnectionSettings {
  ca?: Buffer;
  cert?: Buffer | string;
  key?: Buffer | string;
  /** Set only when the kubeconfig says so (insecure-skip-tls-verify). */
  rejectUnauthorized?: boolean;
  /** tls-server-name: the name the server certificate is checked against. */
  servername?: string;
  /** proxy-url: http(s):// or socks(4|4a|5|5h):// */
  proxyUrl?: string;
}

export interface RequestCredentials {
  connection: ConnectionSettings;
  headers: Record<string, string>;
}

/** The options object client-node's authenticators fill in. */
interface AuthOptions {
  headers?: Record<string, string>;
  cert?: Buffer | string;
  key?: Buffer | string;
}

interface Authenticator {
  isAuthProvider(user: User): unknown;
  applyAuthentication(user: User, options: AuthOptions): Promise<void>;
}

export class KubeCredentials {
  private readonly cluster: Cluster;
  private readonly user: User | undefined;
  private readonly authenticators: Authenticator[];

  private constructor(cluster: Cluster, user: User | undefined, authenticators: Authenticator[]) {
    this.cluster = cluster;
    this.user = user;
    this.authenticators = authenticators;
  }

  /** The source was checked by resolveKubeconfig: its context, cluster and user exist. */
  static async load(source: KubeconfigSource): Promise<KubeCredentials> {
    const { cluster, user } =
      source.config.kind === 'kubeconfig'
        ? fromKubeconfig(source.config.text, source.context, source.origin)
        : inCluster(source.config.directory, source.server);
    return new KubeCredentials(cluster, user, await authenticatorsFor(user));
  }

  /** For each request: an exec plugin's credential is fetched again once it expires. */
  async apply(): Promise<RequestCredentials> {
    const { cluster, user } = this;
    // KubeConfig.applyHTTPSOptions; the cluster's TLS settings apply with or without a user.
    const connection: ConnectionSettings = {};
    if (cluster.proxyUrl) connection.proxyUrl = cluster.proxyUrl;
    if (cluster.skipTLSVerify) connection.rejectUnauthorized = false;
    if (cluster.tlsServerName) connection.servername = cluster.tlsServerName;
    const ca = fileOrData(cluster.caFile, cluster.caData);
    if (ca) connection.ca = ca;
    if (!user) return { connection, headers: {} };
    const options: AuthOptions = { headers: {} };
    const cert = fileOrData(user.certFile, user.certData);
    if (cert) options.cert = cert;
    const key = fileOrData(user.keyFile, user.keyData);
    if (key) options.key = key;
    if (user.impersonateUser) options.headers = { 'Impersonate-User': user.impersonateUser };
    // KubeConfig.applyAuthorizationHeader: the first authenticator that claims the user, then a
    // static token over whatever it set.
    try {
      await this.authenticators
        .find((candidate) => candidate.isAuthProvider(user))
        ?.applyAuthentication(user, options);
    } catch (error) {
      // Not a connection failure: retrying would only run a broken plugin again.
      throw credentialFailure(user, error);
    }
    if (user.token) (options.headers ??= {}).Authorization = `Bearer ${user.token}`;
    if (options.cert) connection.cert = options.cert;
    if (options.key) connection.key = options.key;
    // applySecurityAuthentication: basic auth first, the headers above over it (a token wins).
    const basic: Record<string, string> = {};
    if (user.username) {
      basic.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
    }
    // Token files usually end in a newline: fetch and client-go trim header values, so trim here.
    const headers = Object.entries({ ...basic, ...options.headers }).map(([name, value]) => [
      name,
      value.trim(),
    ]);
    return { connection, headers: Object.fromEntries(headers) };
  }
}

function fromKubeconfig(
  text: string,
  contextName: string,
  origin: string,
): { cluster: Cluster; user: User | undefined } {
  const raw = JSON.parse(text) as Record<string, unknown>;
  // Entries the chosen context does not use may be as broken as they like, as with kubectl.
  const options = { onInvalidEntry: ActionOnInvalid.FILTER };
  const context = newContexts(raw.contexts, options).find((entry) => entry.name === contextName);
  const cluster = newClusters(raw.clusters, options).find((entry) => entry.name === context?.cluster);
  if (!context || !cluster) {
    throw new ConfigurationError(
      `Context "${contextName}" of ${origin} cannot be used: its cluster is not readable.`,
    );
  }
  const user = newUsers(raw.users, options).find((entry) => entry.name === context.user);
  if (context.user && !user) {
    throw new ConfigurationError(
      `User "${context.user}" of ${origin} cannot be used: its token-file cannot be read.`,
    );
  }
  return { cluster, user };
}

/** What KubeConfig.loadFromCluster builds: the mounted CA, and the token file read again each minute. */
function inCluster(directory: string, server: string): { cluster: Cluster; user: User } {
  return {
    cluster: { name: 'in-cluster', server, caFile: `${directory}/ca.crt`, skipTLSVerify: false },
    user: {
      name: 'in-cluster',
      authProvider: { name: 'tokenFile', config: { tokenFile: `${directory}/token` } },
    },
  };
}

/** client-node's authenticators, in KubeConfig's order; OIDC only for a user that needs it. */
async function authenticatorsFor(user: User | undefined): Promise<Authenticator[]> {
  if (!user || (!user.exec && !user.authProvider)) return [];
  const [{ AzureAuth }, { GoogleCloudPlatformAuth }, { ExecAuth }, { FileAuth }] = await Promise.all([
    import('@kubernetes/client-node/dist/azure_auth.js'),
    import('@kubernetes/client-node/dist/gcp_auth.js'),
    import('@kubernetes/client-node/dist/exec_auth.js'),
    import('@kubernetes/client-node/dist/file_auth.js'),
  ]);
  const authenticators: Authenticator[] = [
    new AzureAuth(),
    new GoogleCloudPlatformAuth(),
    new ExecAuth(),
    new FileAuth(),
  ];
  if ((user.authProvider as { name?: unknown } | undefined)?.name === 'oidc') {
    const { OpenIDConnectAuth } = await import('@kubernetes/client-node/dist/oidc_auth.js');
    authenticators.push(new OpenIDConnectAuth());
  }
  return authenticators;
}

function credentialFailure(user: User, error: unknown): ActionError {
  const exec = (user.exec ??
    (user.authProvider as { config?: { exec?: unknown } } | undefined)?.config?.exec) as
    { command?: unknown } | undefined;
  const command = typeof exec?.command === 'string' ? exec.command : undefined;
  const code = (error as { code?: unknown } | undefined)?.code;
  const reason =
    code === 'ENOENT' && command
      ? `"${command}" was not found`
      : // A plugin's own message is its stderr: its last lines say what went wrong.
        errorMessage(error).trim().split('\n').slice(-5).join(' ').slice(-500).replace(/\.$/, '') ||
        'it failed without a message';
  return new ActionError(`Getting the credentials of kubeconfig user "${user.name}" failed: ${reason}.`, {
    cause: error,
    hint: command
      ? `the kubeconfig runs "${command}" for a token: it must be installed on the runner and have credentials of its own (aws eks get-token: run aws-actions/configure-aws-credentials first)`
      : undefined,
  });
}

/** client-node's bufferFromFileOrString: a file is read again for each request, as it may be renewed. */
function fileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}
