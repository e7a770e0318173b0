import { existsSync, readFileSync } from 'node:fs';
import { ConfigurationError } from '../../errors.ts';
import { maskSecret } from '../../runner/secrets.ts';
import { isRecord } from '../object.ts';

/**
 * The entries of a kubeconfig (clusters, users, contexts) read and checked one by one, so that a
 * broken kubeconfig is refused with the entry and field it gets wrong, before any client loads.
 */
export type Entry = { name: string; body: Record<string, unknown> };

export interface ParsedConfig {
  clusters: Entry[];
  users: Entry[];
  contexts: Entry[];
  currentContext: string | undefined;
}

export function readEntries(raw: Record<string, unknown>, origin: string, inputName: string): ParsedConfig {
  const entries = (key: 'clusters' | 'users' | 'contexts', body: string): Entry[] => {
    const list = raw[key] ?? [];
    if (!Array.isArray(list)) {
      throw new ConfigurationError(`${capitalise(origin)} is not a kubeconfig: "${key}" is not a list.`, {
        input: inputName,
      });
    }
    return list.map((entry, index) => {
      if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '') {
        throw new ConfigurationError(`${capitalise(origin)}: entry ${index + 1} of "${key}" has no name.`, {
          input: inputName,
        });
      }
      const inner = entry[body] ?? {};
      if (!isRecord(inner)) {
        throw new ConfigurationError(
          `${capitalise(origin)}: ${key} entry "${entry.name}" has no "${body}" mapping.`,
          {
            input: inputName,
          },
        );
      }
      return { name: entry.name, body: inner };
    });
  };
  const current = raw['current-context'];
  return {
    clusters: entries('clusters', 'cluster'),
    users: entries('users', 'user'),
    contexts: entries('contexts', 'context'),
    currentContext: typeof current === 'string' && current ? current : undefined,
  };
}

export function checkCluster(cluster: Entry, origin: string, inputName: string): string {
  const server = cluster.body.server;
  const url = typeof server === 'string' ? URL.parse(server) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) {
    throw new ConfigurationError(
      `Cluster "${cluster.name}" of ${origin} has server ${JSON.stringify(server ?? null)}, which is not an https:// URL.`,
      { input: inputName },
    );
  }
  if (url.protocol === 'http:' && cluster.body['insecure-skip-tls-verify'] !== true) {
    throw new ConfigurationError(
      `Cluster "${cluster.name}" of ${origin} is served over plain http://, which the Kubernetes client refuses unless insecure-skip-tls-verify is true.`,
      { input: inputName, hint: 'use the https:// address of the API server' },
    );
  }
  checkPemData(
    cluster.body['certificate-authority-data'],
    `certificate-authority-data of cluster "${cluster.name}"`,
    origin,
    inputName,
  );
  checkFile(
    cluster.body['certificate-authority'],
    `certificate-authority of cluster "${cluster.name}"`,
    origin,
    inputName,
  );
  return String(server);
}

export function checkUser(user: Entry, origin: string, inputName: string): void {
  checkPemData(
    user.body['client-certificate-data'],
    `client-certificate-data of user "${user.name}"`,
    origin,
    inputName,
  );
  checkPemData(user.body['client-key-data'], `client-key-data of user "${user.name}"`, origin, inputName);
  for (const key of ['client-certificate', 'client-key', 'token-file']) {
    checkFile(user.body[key], `${key} of user "${user.name}"`, origin, inputName);
  }
  const tokenFile = user.body['token-file'];
  if (typeof tokenFile === 'string') maskSecret(readFileSync(tokenFile, 'utf8').trim());
  const exec = user.body.exec;
  if (exec !== undefined && (!isRecord(exec) || typeof exec.command !== 'string' || exec.command === '')) {
    throw new ConfigurationError(`${capitalise(origin)}: the exec of user "${user.name}" has no command.`, {
      input: inputName,
    });
  }
}

function checkPemData(value: unknown, what: string, origin: string, inputName: string): void {
  if (value === undefined) return;
  const decoded = typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : '';
  if (!decoded.includes('-----BEGIN ')) {
    throw new ConfigurationError(`The ${what} in ${origin} is not base64-encoded PEM.`, { input: inputName });
  }
}

function checkFile(value: unknown, what: string, origin: string, inputName: string): void {
  if (value === undefined || value === '') return;
  if (typeof value !== 'string' || !existsSync(value)) {
    throw new ConfigurationError(
      `The ${what} in ${origin} names ${JSON.stringify(value)}, which does not exist.`,
      {
        input: inputName,
      },
    );
  }
}

export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
