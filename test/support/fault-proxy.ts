import {
  Agent,
  createServer,
  request as forward,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP reverse proxy on 127.0.0.1 in front of a real service (the registry, a simulator) that
 * injects the faults a client must survive: error statuses with Retry-After, reset connections, slow
 * answers, and a service that is down altogether. Bodies are streamed both ways (blobs are large),
 * and the client's Host header is passed on unchanged, so a service that builds absolute URLs from it
 * (the registry's upload `Location`s) sends the client back through the proxy.
 */

export interface RequestMatch {
  /** Matches any method when absent; compared case-insensitively. */
  method?: string;
  /** Tested against the request target (path and query); matches any when absent. */
  path?: RegExp;
}

export interface StatusFault extends RequestMatch {
  status: number;
  /** How many matching requests get this answer; later ones pass through. */
  times: number;
  retryAfterSeconds?: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The status the client got, or `reset` when the proxy cut the connection instead. */
  status: number | 'reset';
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<port>` */
  readonly host: string;
  readonly port: number;
  /** Every request that reached the proxy, in order of completion. */
  readonly requests: ProxiedRequest[];
  inject(fault: StatusFault): void;
  /** Cuts the connection (TCP RST) of the next `times` matching requests without an answer. */
  resetConnections(times: number, match?: RequestMatch): void;
  /** Holds every matching request `ms` before handling it, until `clearFaults`. */
  delay(ms: number, match?: RequestMatch): void;
  clearFaults(): void;
  /** Stops listening and drops open connections: new connections are refused. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

type Fault = { match: RequestMatch; times: number } & (
  { kind: 'status'; status: number; retryAfterSeconds?: number } | { kind: 'reset' }
);

/** Hop-by-hop headers (RFC 9110, 7.6.1) belong to one connection and are not forwarded. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer'];

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  if (upstream.protocol !== 'http:') throw new Error(`the fault proxy forwards to http only, not ${target}`);
  const agent = new Agent({ keepAlive: true });
  const faults: Fault[] = [];
  const delays: { ms: number; match: RequestMatch }[] = [];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let origin = '';

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const takeFault = (req: IncomingMessage): Fault | undefined => {
    const fault = faults.find((candidate) => candidate.times > 0 && matches(candidate.match, req));
    if (fault) fault.times--;
    return fault;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const record = (status: number | 'reset'): void => {
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', status });
    };
    const delayMs = delays.filter((rule) => matches(rule.match, req)).reduce((sum, rule) => sum + rule.ms, 0);
    if (delayMs > 0) await wait(delayMs);
    if (res.destroyed) return;
    const fault = takeFault(req);
    if (fault?.kind === 'reset') {
      record('reset');
      req.socket.resetAndDestroy();
      return;
    }
    if (fault?.kind === 'status') {
      // Read the request body first: answering in the middle of an upload leaves the client writing
      // into a connection the server has given up on, which it would see as a reset, not a status.
      req.resume();
      await new Promise((resolve) => req.once('end', resolve));
      const headers: OutgoingHttpHeaders = { 'content-type': 'text/plain; charset=utf-8' };
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      res.writeHead(fault.status, headers);
      // The status line as the body: clients quote it in their errors (`503 Service Unavailable`).
      res.end(`${fault.status} ${STATUS_CODES[fault.status] ?? ''}\n`);
      record(fault.status);
      return;
    }
    const outgoing = forward({
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: withoutHopByHop(req.headers),
      agent,
    });
    outgoing.on('response', (answer) => {
      const headers = withoutHopByHop(answer.headers);
      const location = answer.headers.location;
      if (location) headers.location = throughProxy(location, upstream, origin);
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
      record(answer.statusCode ?? 502);
    });
    outgoing.on('error', (error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`fault proxy: ${target} is unreachable: ${error.message}\n`);
      record(502);
    });
    req.pipe(outgoing);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = async (): Promise<void> => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  origin = `http://${host}`;

  return {
    url: origin,
    host,
    port,
    requests,
    inject: ({ status, times, retryAfterSeconds, ...match }) => {
      faults.push({ kind: 'status', match, times, status, retryAfterSeconds });
    },
    resetConnections: (times, match = {}) => {
      faults.push({ kind: 'reset', match, times });
    },
    delay: (ms, match = {}) => {
      delays.push({ ms, match });
    },
    clearFaults: () => {
      faults.length = 0;
      delays.length = 0;
    },
    down: stopListening,
    up: () => (server.listening ? Promise.resolve() : listen(port)),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await stopListening();
      agent.destroy();
    },
  };
}

function matches(match: RequestMatch, req: IncomingMessage): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== req.method?.toUpperCase()) return false;
  return match.path === undefined || match.path.test(req.url ?? '/');
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const copy: OutgoingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

/** A service that knows its own address (not the Host header's) still redirects through the proxy. */
function throughProxy(location: string, upstream: URL, proxyOrigin: string): string {
  if (!/^https?:\/\//i.test(location)) return location;
  const url = new URL(location);
  if (url.origin !== upstream.origin) return location;
  return `${proxyOrigin}${url.pathname}${url.search}`;
}
