import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A small HTTP or HTTPS service on 127.0.0.1 for tests of anything that calls a service: each test
 * scripts its routes (a handler sees the request and how many requests its route has had, so "503
 * three times, then 200" is one line), every request is recorded, and `close()` ends open
 * keep-alive sockets too, so jest exits cleanly.
 */

export interface RecordedRequest {
  method: string;
  /** The request target as sent: path and query, like `/health?token=abc`. */
  path: string;
  /** Just the path, without the query: what routes are matched on. */
  pathname: string;
  /** Lower-cased names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else as JSON with a JSON content type. */
  body?: unknown;
  /** Wait this long before sending the headers (a slow service). */
  delayMs?: number;
  /** Destroy the connection without an answer (after `delayMs`), as a crashing service does. */
  destroy?: boolean;
}

/**
 * `count` is the 1-based number of this request among the requests to its route, so the first
 * request sees 1.
 */
export type RouteHandler = (
  request: RecordedRequest,
  count: number,
) => ScriptedResponse | Promise<ScriptedResponse>;

export interface HttpServiceOptions {
  routes?: Record<string, RouteHandler>;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string; key: string };
  /** Listen on this port instead of a free one (for a service that "comes up" on a known port). */
  port?: number;
}

export interface HttpService {
  /** `http://127.0.0.1:<port>` or `https://127.0.0.1:<port>`, without a trailing slash. */
  readonly origin: string;
  readonly port: number;
  /** Every request received, in order of arrival (recorded once its body was read). */
  readonly requests: RecordedRequest[];
  /** `origin` + `path`. */
  url(path?: string): string;
  /** Adds or replaces the handler of a path. */
  route(path: string, handler: RouteHandler): void;
  /** Requests received on one path. */
  requestsTo(pathname: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startHttpService(options: HttpServiceOptions = {}): Promise<HttpService> {
  const routes = new Map<string, RouteHandler>(Object.entries(options.routes ?? {}));
  const counts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '/';
    const pathname = new URL(path, 'http://service.invalid').pathname;
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      pathname,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(recorded);
    const count = (counts.get(pathname) ?? 0) + 1;
    counts.set(pathname, count);

    const handler = routes.get(pathname);
    const scripted: ScriptedResponse = handler
      ? await handler(recorded, count)
      : { status: 404, body: `no route for ${pathname}` };
    if (scripted.delayMs) await wait(scripted.delayMs);
    if (closing || res.destroyed) return;
    if (scripted.destroy) {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = { ...scripted.headers };
    let body: string | Buffer = '';
    if (typeof scripted.body === 'string' || Buffer.isBuffer(scripted.body)) {
      body = scripted.body;
    } else if (scripted.body !== undefined) {
      body = JSON.stringify(scripted.body);
      headers['content-type'] ??= 'application/json';
    }
    res.writeHead(scripted.status ?? 200, headers);
    res.end(body);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`test service handler failed: ${String(error)}`);
      } else {
        res.destroy();
      }
    });
  };

  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : createHttpServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that rejects the certificate ends the handshake: that is the test's business, not an error.
  server.on('tlsClientError', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return {
    origin,
    port,
    requests,
    url: (path = '/') => `${origin}${path.startsWith('/') ? path : `/${path}`}`,
    route: (path, handler) => {
      routes.set(path, handler);
    },
    requestsTo: (pathname) => requests.filter((request) => request.pathname === pathname),
    close: async () => {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/**
 * A port on 127.0.0.1 that nothing listens on right now: connecting to it is refused, and a service
 * can be started on it later. (Another process could take it in between; on loopback in a test
 * that does not happen in practice.)
 */
export async function unusedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
