import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { faultAnswer, GitHubFaults, type GitHubFault } from './faults.ts';
import { route, type Answer } from './routes.ts';
import { RepositoryState, type Deployment, type DeploymentStatus } from './state.ts';

/**
 * A GitHub REST API server for tests, reached by the real Octokit of `@actions/github` through
 * GITHUB_API_URL: the Deployments endpoints with GitHub's paths, status codes, defaults and error
 * bodies, token authentication (401 "Bad credentials" otherwise), rate-limit headers on every
 * answer, injected faults (5xx, secondary and primary rate limits, 403, reset connections), and a
 * log of every request a test can assert on. One per test; `close()` ends every socket.
 */
export type { GitHubFault } from './faults.ts';
export type { Deployment, DeploymentStatus } from './state.ts';

export interface RecordedGitHubRequest {
  method: string;
  /** Without the query. */
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body, when there was one. */
  body: unknown;
  status: number | undefined;
  /** The Authorization header as sent. */
  authorization: string | undefined;
}

export interface GitHubApiOptions {
  /** `owner/repo`; default `acme/shop`. */
  repository?: string;
  /** Branches and tags with their commits; full SHAs are always accepted. */
  refs?: Record<string, string>;
  failingContexts?: string[];
}

export interface GitHubApi {
  /** `http://127.0.0.1:<port>`: GITHUB_API_URL. */
  url: string;
  token: string;
  repository: string;
  /** The env a step needs to reach this server: GITHUB_API_URL and GITHUB_REPOSITORY. */
  env: Record<string, string>;
  requests: RecordedGitHubRequest[];
  faults: { inject(fault: GitHubFault): void; clear(): void };
  deployments(): Deployment[];
  statuses(id: number): DeploymentStatus[];
  /** `"METHOD /path state"` per request, for asserting an exact sequence of calls. */
  callLog(): string[];
  close(): Promise<void>;
}

export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApi> {
  const repository = options.repository ?? 'acme/shop';
  const [owner = '', repo = ''] = repository.split('/');
  const token = `ghs_${randomBytes(18).toString('hex')}`;
  const faults = new GitHubFaults();
  const requests: RecordedGitHubRequest[] = [];
  const sockets = new Set<Socket>();
  let remaining = 5000;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://github.invalid');
    let body: unknown;
    let parsed = true;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
        parsed = false;
      }
    }
    const recorded: RecordedGitHubRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      status: undefined,
      authorization: req.headers.authorization,
    };
    requests.push(recorded);
    const send = (answer: Answer): void => {
      recorded.status = answer.status;
      remaining = Math.max(0, remaining - 1);
      res.writeHead(answer.status, {
        'content-type': 'application/json; charset=utf-8',
        'x-github-api-version-selected': '2022-11-28',
        'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        'x-ratelimit-resource': 'core',
        ...answer.headers,
      });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    };
    const fault = faults.take(recorded.method, recorded.path);
    if (fault) {
      const answer = faultAnswer(fault, Math.floor(Date.now() / 1000));
      if (answer === 'reset') {
        req.socket.destroy();
        return;
      }
      send(answer);
      return;
    }
    const credentials = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (credentials !== token) {
      send({
        status: 401,
        body: {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
          status: '401',
        },
      });
      return;
    }
    send(
      route(repositoryState, {
        method: recorded.method,
        path: url.pathname,
        query: url.searchParams,
        body,
        parsed,
      }),
    );
  };

  // The server's URL is part of every object it returns, and known once it listens.
  let repositoryState = new RepositoryState('', owner, repo, {});
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `simulator bug: ${String(error)}` }));
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  repositoryState = new RepositoryState(
    apiUrl,
    owner,
    repo,
    options.refs ?? { main: 'a'.repeat(40) },
    options.failingContexts,
  );

  return {
    url: apiUrl,
    token,
    repository,
    env: { GITHUB_API_URL: apiUrl, GITHUB_REPOSITORY: repository },
    requests,
    faults: { inject: (fault) => faults.inject(fault), clear: () => faults.clear() },
    deployments: () => repositoryState.deployments,
    statuses: (id) => repositoryState.statuses.get(id) ?? [],
    callLog: () =>
      requests.map((request) => {
        const state = (request.body as { state?: unknown } | undefined)?.state;
        const path = request.path.replace(`/repos/${repository}`, '');
        return `${request.method} ${path}${typeof state === 'string' ? ` ${state}` : ''} -> ${request.status ?? 'reset'}`;
      }),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
