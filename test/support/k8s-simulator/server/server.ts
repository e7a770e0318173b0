import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { ApiResponse } from '../api/exchange.ts';
import { handleApiRequest, type RestContext } from '../api/router.ts';
import { ApiError, errors } from '../api/status.ts';
import { faultError, type FaultQueue } from './faults.ts';
import type { RecordedRequest } from './requests.ts';

/**
 * The HTTPS front of the simulator: reads each request, records it, checks the bearer token
 * (401 with a Status otherwise), lets an injected fault answer, then hands it to the REST layer
 * and writes its answer with the headers an API server sends.
 */

export interface ServerSetup {
  rest: RestContext;
  token: string;
  faults: FaultQueue;
  requests: RecordedRequest[];
  tls: { cert: string; key: string };
}

export interface RunningServer {
  /** `https://127.0.0.1:<port>`. */
  origin: string;
  close(): Promise<void>;
}

function send(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string | string[]>,
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    'audit-id': randomUUID(),
    'cache-control': 'no-cache, private',
    'x-kubernetes-pf-flowschema-uid': '0f0e2c8b-5b8f-4b52-9f7e-4a3e4f5d6c7b',
    'x-kubernetes-pf-prioritylevel-uid': '6d7a3c1e-2f4b-4c8d-9e0a-1b2c3d4e5f60',
    ...headers,
  });
  response.end(body);
}

function sendError(response: ServerResponse, error: ApiError): void {
  send(response, error.code, JSON.stringify(error.body()), {
    'content-type': 'application/json',
    ...error.headers,
  });
}

/** k8s.io/apimachinery's NewWarningHeader: code 299, agent "-", the text quoted with `"` and `\` escaped. */
function warningHeader(text: string): string {
  return `299 - "${text.replace(/["\\]/g, (char) => `\\${char}`)}"`;
}

export async function startServer(setup: ServerSetup): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let port = 0;

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'https://simulator.invalid');
    const method = request.method ?? 'GET';
    const authenticated = request.headers.authorization === `Bearer ${setup.token}`;
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: request.headers['content-type'],
      body: Buffer.concat(chunks).toString('utf8'),
      status: undefined,
      authenticated,
    };
    setup.requests.push(record);
    response.on('finish', () => (record.status = response.statusCode));

    if (!authenticated) return sendError(response, errors.unauthorized());
    const fault = setup.faults.take(method, url.pathname, url.searchParams);
    if (fault?.delayMs) await wait(fault.delayMs);
    if (fault?.resetConnection) {
      request.socket.destroy();
      return;
    }
    const injected = fault && faultError(fault);
    if (injected) return sendError(response, injected);

    let answer: ApiResponse;
    try {
      answer = handleApiRequest(setup.rest, {
        method,
        pathname: url.pathname,
        query: url.searchParams,
        contentType: request.headers['content-type'],
        userAgent: request.headers['user-agent'],
        body: record.body,
        host: `127.0.0.1:${port}`,
      });
    } catch (error) {
      // Anything that is not an ApiError is a bug in the simulator: answered like an internal error, with the cause.
      return sendError(
        response,
        error instanceof ApiError ? error : errors.internal(String((error as Error).stack ?? error)),
      );
    }
    if ('stream' in answer) {
      record.status = 200;
      answer.stream(response);
      return;
    }
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    send(response, answer.status, text, {
      'content-type': answer.contentType ?? 'application/json',
      ...(answer.warnings?.length ? { warning: answer.warnings.map(warningHeader) } : {}),
    });
  };

  const server = createServer({ cert: setup.tls.cert, key: setup.tls.key }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, errors.internal(String(error)));
      else response.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that refuses the certificate ends the handshake: its test's business, not an error here.
  server.on('tlsClientError', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    origin: `https://127.0.0.1:${port}`,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      setup.rest.watches.endAll();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
