import { execFileSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CancelledError } from '../../../shared/src/errors.ts';
import {
  classifyHttpFailure,
  HttpClient,
  HttpRequestError,
  isTransientStatus,
  type HttpFailureKind,
  type HttpRequestOptions,
} from '../../../shared/src/net/http.ts';
import { tempDir, type TempDir } from '../helpers.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location }).end();
}

function echo(req: IncomingMessage, res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ method: req.method, url: req.url, body, headers: req.headers }));
}

/** The routes of the plain HTTP server; `other` is the base URL of the second origin. */
function routes(other: () => string): Record<string, Handler> {
  return {
    '/ok': (_req, res) => {
      res.setHeader('x-gantry', 'yes');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
    },
    '/echo': echo,
    '/big': (_req, res) => {
      res.writeHead(200);
      res.write('a'.repeat(4096));
      res.end('b'.repeat(4096));
    },
    '/exact': (_req, res) => res.writeHead(200).end('0123456789'),
    '/declared': (_req, res) => res.writeHead(200, { 'content-length': '8192' }).end('c'.repeat(8192)),
    '/status/503': (_req, res) => res.writeHead(503, { 'retry-after': '7' }).end('busy'),
    '/hang': () => undefined,
    '/slow-body': (_req, res) => {
      res.writeHead(200);
      res.write('partial');
    },
    '/reset': (req) => req.socket.destroy(),
    '/redirect/a': (_req, res) => redirect(res, 302, '/redirect/b'),
    '/redirect/b': (_req, res) => redirect(res, 301, 'ok-target'),
    '/redirect/ok-target': (_req, res) => res.writeHead(200).end('arrived'),
    '/loop/a': (_req, res) => redirect(res, 302, '/loop/b'),
    '/loop/b': (_req, res) => redirect(res, 302, '/loop/a'),
    '/self': (_req, res) => redirect(res, 307, '/self'),
    '/signed': (_req, res) => redirect(res, 302, '/signed?signature=loop-secret-9'),
    '/see-other': (_req, res) => redirect(res, 303, '/echo'),
    '/moved': (_req, res) => redirect(res, 301, '/echo'),
    '/temporary': (_req, res) => redirect(res, 307, '/echo'),
    '/permanent': (_req, res) => redirect(res, 308, '/echo'),
    '/same-origin': (_req, res) => redirect(res, 302, '/echo'),
    '/cross-origin': (_req, res) => redirect(res, 302, `${other()}/echo`),
    '/cross-and-back': (_req, res) => redirect(res, 302, `${other()}/back`),
  };
}

function serve(handlers: Record<string, Handler>): Handler {
  return (req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
    if (chain) {
      const left = Number(chain[1]);
      return left === 0 ? res.writeHead(200).end('end of chain') : redirect(res, 302, `/chain/${left - 1}`);
    }
    const handler = handlers[url.pathname];
    if (!handler) return res.writeHead(404).end('not found');
    handler(req, res, body);
  };
}

function withBody(handler: Handler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, res, body));
  };
}

async function listen(server: Server | HttpsServer, host?: string): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: Server | HttpsServer): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A CA and a server certificate for 127.0.0.1 and localhost, made with openssl for this run. */
function makeCertificates(dir: TempDir): { ca: string; otherCa: string; key: string; cert: string } {
  // Arguments as one string for reading; none of them contains a space.
  const openssl = (args: string): void => {
    execFileSync('openssl', args.split(' '), { cwd: dir.path, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const newKey = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
  for (const name of ['ca', 'other-ca']) {
    openssl(
      `req -x509 ${newKey} -keyout ${name}.key -out ${name}.pem -days 2 -subj /CN=gantry-test-${name} ` +
        '-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign',
    );
  }
  openssl(`req ${newKey} -keyout server.key -out server.csr -subj /CN=localhost`);
  writeFileSync(
    join(dir.path, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    'x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 1 -days 2 -extfile server.ext -out server.pem',
  );
  const read = (name: string): string => readFileSync(join(dir.path, name), 'utf8');
  return {
    ca: read('ca.pem'),
    otherCa: read('other-ca.pem'),
    key: read('server.key'),
    cert: read('server.pem'),
  };
}

let dir: TempDir;
let server: Server;
let otherServer: Server;
let httpsServer: HttpsServer;
let base: string;
let otherBase: string;
let httpsBase: string;
let refusedUrl: string;
let certificates: ReturnType<typeof makeCertificates>;
const clients: HttpClient[] = [];

function client(...args: ConstructorParameters<typeof HttpClient>): HttpClient {
  const created = new HttpClient(...args);
  clients.push(created);
  return created;
}

let plain: HttpClient;

beforeAll(async () => {
  dir = tempDir();
  certificates = makeCertificates(dir);
  server = createServer(withBody(serve(routes(() => otherBase))));
  base = `http://127.0.0.1:${await listen(server, '127.0.0.1')}`;
  // The second origin answers on every interface and is reached as `localhost`.
  otherServer = createServer(
    withBody(
      serve({
        '/echo': echo,
        '/back': (_req, res) => redirect(res, 302, `${base}/echo`),
      }),
    ),
  );
  otherBase = `http://localhost:${await listen(otherServer)}`;
  httpsServer = createHttpsServer(
    { key: certificates.key, cert: certificates.cert },
    withBody(serve({ '/ok': (_req, res) => res.writeHead(200).end('secure hello') })),
  );
  httpsBase = `https://127.0.0.1:${await listen(httpsServer, '127.0.0.1')}`;
  const closed = createServer();
  refusedUrl = `http://127.0.0.1:${await listen(closed, '127.0.0.1')}/`;
  await close(closed);
  plain = client();
});

afterAll(async () => {
  await Promise.all(clients.map((each) => each.close()));
  await Promise.all([server, otherServer, httpsServer].filter(Boolean).map(close));
  dir?.remove();
});

async function failure(httpClient: HttpClient, options: HttpRequestOptions): Promise<HttpRequestError> {
  const error = await httpClient.request(options).then(
    (response) => new Error(`expected a failure, got HTTP ${response.status}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpRequestError);
  return error as HttpRequestError;
}

describe('HttpClient.request', () => {
  it('returns status, body, lower-cased headers, the final URL and the latency', async () => {
    const response = await plain.request({ url: `${base}/ok`, timeoutMs: 5000 });
    expect(response.status).toBe(200);
    expect(response.body).toBe('hello');
    expect(response.bodyTruncated).toBe(false);
    expect(response.headers['x-gantry']).toBe('yes');
    expect(response.headers['content-type']).toBe('text/plain');
    expect(response.headers['set-cookie']).toBe('a=1, b=2');
    expect(response.url).toBe(`${base}/ok`);
    expect(response.redirects).toEqual([]);
    expect(response.latencyMs).toBeGreaterThan(0);
    expect(response.latencyMs).toBeLessThan(5000);
  });

  it('returns error statuses as responses', async () => {
    const response = await plain.request({ url: `${base}/status/503`, timeoutMs: 5000 });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('7');
    expect(response.body).toBe('busy');
  });

  it('sends the method, headers and body', async () => {
    const response = await plain.request({
      url: `${base}/echo`,
      method: 'put',
      headers: { 'content-type': 'application/json', 'x-request': 'r1' },
      body: '{"a":1}',
      timeoutMs: 5000,
    });
    const echoed = JSON.parse(response.body) as {
      method: string;
      body: string;
      headers: Record<string, string>;
    };
    expect(echoed.method).toBe('PUT');
    expect(echoed.body).toBe('{"a":1}');
    expect(echoed.headers['x-request']).toBe('r1');
  });

  it.each([
    [100, 'a'.repeat(100), true],
    [4096, 'a'.repeat(4096), true],
    [5000, 'a'.repeat(4096) + 'b'.repeat(904), true],
    [8192, 'a'.repeat(4096) + 'b'.repeat(4096), false],
    [100_000, 'a'.repeat(4096) + 'b'.repeat(4096), false],
  ])('reads at most maxBodyBytes=%p', async (maxBodyBytes, body, truncated) => {
    const response = await plain.request({ url: `${base}/big`, timeoutMs: 5000, maxBodyBytes });
    expect(response.body).toBe(body);
    expect(response.bodyTruncated).toBe(truncated);
  });

  it.each([
    [100, 100, true],
    [8191, 8191, true],
    [8192, 8192, false],
  ])(
    'reads a body with a declared length at most maxBodyBytes=%p',
    async (maxBodyBytes, length, truncated) => {
      const response = await plain.request({ url: `${base}/declared`, timeoutMs: 5000, maxBodyBytes });
      expect(response.body).toBe('c'.repeat(length));
      expect(response.bodyTruncated).toBe(truncated);
    },
  );

  it('a body of exactly maxBodyBytes is not truncated', async () => {
    const response = await plain.request({ url: `${base}/exact`, timeoutMs: 5000, maxBodyBytes: 10 });
    expect(response).toMatchObject({ body: '0123456789', bodyTruncated: false });
  });

  it('times out, fast, on a server that never answers', async () => {
    const started = performance.now();
    const error = await failure(plain, { url: `${base}/hang`, timeoutMs: 200 });
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('no complete response within 200ms');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.latencyMs).toBeGreaterThanOrEqual(150);
  });

  it('times out on a body that stops half way', async () => {
    const error = await failure(plain, { url: `${base}/slow-body`, timeoutMs: 300 });
    expect(error.kind).toBe('timeout');
  });

  it('names a refused connection', async () => {
    const error = await failure(plain, { url: refusedUrl, timeoutMs: 5000 });
    expect(error.kind).toBe('connection-refused');
    expect(error.message).toBe('connection refused');
  });

  it('names a connection the server destroyed', async () => {
    const error = await failure(plain, { url: `${base}/reset`, timeoutMs: 5000 });
    expect(error.kind).toBe('connection-reset');
    expect(error.message).toMatch(/^connection reset \(.+\)$/);
  });

  it('rejects with the reason of an aborted caller signal', async () => {
    const controller = new AbortController();
    const reason = new CancelledError('Cancelled by SIGTERM.');
    setTimeout(() => controller.abort(reason), 50);
    await expect(
      plain.request({ url: `${base}/hang`, timeoutMs: 10_000, signal: controller.signal }),
    ).rejects.toBe(reason);
  });

  it('rejects at once when the caller signal is already aborted', async () => {
    const reason = new CancelledError('already cancelled');
    await expect(
      plain.request({ url: `${base}/ok`, timeoutMs: 5000, signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
  });

  it('leaves no listener on a long-lived caller signal', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) {
      const response = await plain.request({ url: `${base}/ok`, timeoutMs: 5000, signal: controller.signal });
      expect(response.status).toBe(200);
    }
    await failure(plain, { url: `${base}/hang`, timeoutMs: 50, signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  describe('redirects', () => {
    it('follows them, resolving relative locations, and lists them', async () => {
      const response = await plain.request({ url: `${base}/redirect/a`, timeoutMs: 5000 });
      expect(response.status).toBe(200);
      expect(response.body).toBe('arrived');
      expect(response.url).toBe(`${base}/redirect/ok-target`);
      expect(response.redirects).toEqual([`${base}/redirect/b`, `${base}/redirect/ok-target`]);
    });

    it('returns the redirect itself when not following', async () => {
      const response = await plain.request({
        url: `${base}/redirect/a`,
        timeoutMs: 5000,
        followRedirects: false,
      });
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe('/redirect/b');
      expect(response.redirects).toEqual([]);
    });

    it.each([
      ['a two-step loop', '/loop/a'],
      ['a page that redirects to itself', '/self'],
    ])('detects %s', async (_label, path) => {
      const error = await failure(plain, { url: `${base}${path}`, timeoutMs: 5000 });
      expect(error.kind).toBe('redirect-loop');
      expect(error.message).toMatch(/^redirect loop: .+ -> .+$/);
    });

    it('names a loop without the query strings, which may carry signed tokens', async () => {
      const error = await failure(plain, { url: `${base}/signed`, timeoutMs: 5000 });
      expect(error.kind).toBe('redirect-loop');
      expect(error.message).toBe(`redirect loop: ${base}/signed?… -> ${base}/signed?…`);
    });

    it('stops after maxRedirects', async () => {
      const error = await failure(plain, { url: `${base}/chain/5`, timeoutMs: 5000, maxRedirects: 3 });
      expect(error.kind).toBe('too-many-redirects');
      expect(error.message).toBe('more than 3 redirects');
      const allowed = await plain.request({ url: `${base}/chain/3`, timeoutMs: 5000, maxRedirects: 3 });
      expect(allowed).toMatchObject({ status: 200, body: 'end of chain' });
      expect(allowed.redirects).toHaveLength(3);
    });

    it('allows 10 redirects by default', async () => {
      expect((await plain.request({ url: `${base}/chain/10`, timeoutMs: 5000 })).status).toBe(200);
      expect((await failure(plain, { url: `${base}/chain/11`, timeoutMs: 5000 })).kind).toBe(
        'too-many-redirects',
      );
    });

    it.each([
      ['303 turns POST into GET without a body', '/see-other', 'POST', 'GET', ''],
      ['303 turns PUT into GET too', '/see-other', 'PUT', 'GET', ''],
      ['301 turns POST into GET', '/moved', 'POST', 'GET', ''],
      ['307 keeps POST and its body', '/temporary', 'POST', 'POST', 'payload'],
      ['308 keeps PUT and its body', '/permanent', 'PUT', 'PUT', 'payload'],
    ])('%s', async (_label, path, method, finalMethod, finalBody) => {
      const response = await plain.request({
        url: `${base}${path}`,
        method,
        body: 'payload',
        timeoutMs: 5000,
      });
      expect(JSON.parse(response.body)).toMatchObject({ method: finalMethod, body: finalBody });
    });

    const credentials = { Authorization: 'Bearer t0ken', Cookie: 'session=1', 'X-Custom': 'kept' };

    it('keeps credentials on a same-origin redirect', async () => {
      const response = await plain.request({
        url: `${base}/same-origin`,
        headers: credentials,
        timeoutMs: 5000,
      });
      const { headers } = JSON.parse(response.body) as { headers: Record<string, string> };
      expect(headers).toMatchObject({
        authorization: 'Bearer t0ken',
        cookie: 'session=1',
        'x-custom': 'kept',
      });
    });

    it('does not forward credentials to another origin', async () => {
      const response = await plain.request({
        url: `${base}/cross-origin`,
        headers: credentials,
        timeoutMs: 5000,
      });
      expect(response.url).toBe(`${otherBase}/echo`);
      const { headers } = JSON.parse(response.body) as { headers: Record<string, string> };
      expect(headers['x-custom']).toBe('kept');
      expect(headers.authorization).toBeUndefined();
      expect(headers.cookie).toBeUndefined();
    });

    it('does not forward headers with credential names to another origin either', async () => {
      const response = await plain.request({
        url: `${base}/cross-origin`,
        headers: { 'X-Api-Key': 'k-1', 'X-Auth-Token': 't-2', 'X-Functions-Key': 'f-3', 'X-Custom': 'kept' },
        timeoutMs: 5000,
      });
      const { headers } = JSON.parse(response.body) as { headers: Record<string, string> };
      expect(headers['x-custom']).toBe('kept');
      expect([headers['x-api-key'], headers['x-auth-token'], headers['x-functions-key']]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
    });

    it('does not restore credentials when a redirect comes back to the first origin', async () => {
      const response = await plain.request({
        url: `${base}/cross-and-back`,
        headers: credentials,
        timeoutMs: 5000,
      });
      expect(response.url).toBe(`${base}/echo`);
      const { headers } = JSON.parse(response.body) as { headers: Record<string, string> };
      expect(headers.authorization).toBeUndefined();
    });
  });

  describe('TLS', () => {
    it('accepts a server certificate signed by the given CA', async () => {
      const response = await client({ ca: certificates.ca }).request({
        url: `${httpsBase}/ok`,
        timeoutMs: 5000,
      });
      expect(response).toMatchObject({ status: 200, body: 'secure hello' });
    });

    it.each([
      ['another CA', () => ({ ca: certificates.otherCa })],
      ['the default trust store', () => ({})],
    ])('rejects a certificate unknown to %s with kind tls', async (_label, tls) => {
      const error = await failure(client(tls()), { url: `${httpsBase}/ok`, timeoutMs: 5000 });
      expect(error.kind).toBe('tls');
      expect(error.message).toMatch(/^TLS verification failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE \(.+\)$/);
    });

    it('accepts any certificate with insecure: true', async () => {
      const response = await client({ insecure: true }).request({ url: `${httpsBase}/ok`, timeoutMs: 5000 });
      expect(response.status).toBe(200);
    });

    it('names plain HTTP spoken to an HTTPS port as a reset connection', async () => {
      const error = await failure(plain, {
        url: httpsBase.replace('https:', 'http:') + '/ok',
        timeoutMs: 2000,
      });
      expect(error.kind).toBe('connection-reset');
    });
  });
});

describe('classifyHttpFailure', () => {
  it.each([
    ['timeout', true],
    ['connection-refused', true],
    ['connection-reset', true],
    ['dns', true],
    ['tls', false],
    ['redirect-loop', false],
    ['too-many-redirects', false],
    ['other', false],
  ] as [HttpFailureKind, boolean][])('%s is transient: %p', (kind, transient) => {
    const verdict = classifyHttpFailure(new HttpRequestError(kind, `failure of kind ${kind}`, 1));
    expect(verdict).toEqual(
      transient ? { transient: true, reason: `failure of kind ${kind}` } : { transient: false },
    );
  });

  it.each([[new Error('plain')], ['text'], [undefined]])('%p is not transient', (error) => {
    expect(classifyHttpFailure(error)).toEqual({ transient: false });
  });
});

describe('isTransientStatus', () => {
  it.each([
    [200, false],
    [204, false],
    [301, false],
    [400, false],
    [401, false],
    [404, false],
    [409, false],
    [429, true],
    [499, false],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [599, true],
    [600, false],
  ])('%p: %p', (status, transient) => {
    expect(isTransientStatus(status)).toBe(transient);
  });
});
