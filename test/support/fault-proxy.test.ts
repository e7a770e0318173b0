import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';

/**
 * The backend answers like the registry does where it matters here: `/echo` tells what it received
 * (the Host header, a hash of the body), `/upload` answers with an absolute Location built from the
 * Host header, `/self` with one built from its own address, and `/blob` streams a large body.
 */
const BLOB = randomBytes(8 * 1024 * 1024);
let backend: Server;
let backendOrigin: string;
let proxy: FaultProxy;

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

beforeAll(async () => {
  backend = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url === '/blob') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(BLOB);
      } else if (req.url === '/upload') {
        res.writeHead(202, { location: `http://${req.headers.host}/v2/app/blobs/uploads/123?_state=x` });
        res.end();
      } else if (req.url === '/self') {
        res.writeHead(307, { location: `${backendOrigin}/echo?from=self` });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ method: req.method, path: req.url, host: req.headers.host, sha256: sha256(body) }),
        );
      }
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendOrigin = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => backend.close(resolve));
});

beforeEach(async () => {
  proxy = await startFaultProxy(backendOrigin);
});

afterEach(async () => {
  await proxy.close();
});

/** A raw request (fetch would follow redirects and hide the Location header). */
function send(
  method: string,
  path: string,
  body?: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    // A connection of its own each time: a kept-alive one would outlive down() and see a reset instead.
    const req = request(`${proxy.url}${path}`, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('startFaultProxy without faults', () => {
  it('forwards method, path, query and the client Host header, and records the request', async () => {
    const response = await send('PATCH', '/echo?x=1', Buffer.from('hello'));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({
      method: 'PATCH',
      path: '/echo?x=1',
      host: proxy.host,
      sha256: sha256(Buffer.from('hello')),
    });
    expect(proxy.requests).toEqual([{ method: 'PATCH', path: '/echo?x=1', status: 200 }]);
  });

  it('streams large bodies both ways unchanged', async () => {
    const upload = await send('PUT', '/echo', BLOB);
    expect(JSON.parse(upload.body.toString()).sha256).toBe(sha256(BLOB));
    const download = await send('GET', '/blob');
    expect(download.body.length).toBe(BLOB.length);
    expect(sha256(download.body)).toBe(sha256(BLOB));
  });

  it('keeps Location headers pointing at the proxy', async () => {
    const upload = await send('POST', '/upload');
    expect(upload.headers.location).toBe(`${proxy.url}/v2/app/blobs/uploads/123?_state=x`);
    const self = await send('GET', '/self');
    expect(self.headers.location).toBe(`${proxy.url}/echo?from=self`);
  });

  it('answers 502 when the target is unreachable', async () => {
    const orphan = await startFaultProxy('http://127.0.0.1:9');
    try {
      const response = await fetch(`${orphan.url}/anything`);
      expect(response.status).toBe(502);
      expect(await response.text()).toContain('http://127.0.0.1:9 is unreachable');
      expect(orphan.requests).toEqual([{ method: 'GET', path: '/anything', status: 502 }]);
    } finally {
      await orphan.close();
    }
  });
});

describe('startFaultProxy faults', () => {
  it('answers a status the given number of times for matching requests only, then passes through', async () => {
    proxy.inject({ method: 'put', path: /^\/echo/, status: 503, times: 2, retryAfterSeconds: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await send('PUT', '/echo', BLOB)).status);
    const other = await send('GET', '/echo');
    expect(statuses).toEqual([503, 503, 200]);
    expect(other.status).toBe(200);
    expect(proxy.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'PUT 503',
      'PUT 503',
      'PUT 200',
      'GET 200',
    ]);
  });

  it('sends Retry-After and a status-line body with an injected status', async () => {
    proxy.inject({ status: 429, times: 1, retryAfterSeconds: 7 });
    const response = await fetch(`${proxy.url}/echo`);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.text()).toBe('429 Too Many Requests\n');
  });

  it('resets connections, then passes through', async () => {
    proxy.resetConnections(1, { path: /^\/echo/ });
    await expect(send('GET', '/echo')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await send('GET', '/echo')).status).toBe(200);
    expect(proxy.requests.map((r) => r.status)).toEqual(['reset', 200]);
  });

  it('delays matching requests until the faults are cleared', async () => {
    // A delay far above a loaded machine's request time keeps the delayed and undelayed apart.
    proxy.delay(1500, { method: 'GET' });
    let started = Date.now();
    await send('GET', '/echo');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1490);
    started = Date.now();
    await send('POST', '/echo');
    expect(Date.now() - started).toBeLessThan(1490);
    proxy.clearFaults();
    started = Date.now();
    await send('GET', '/echo');
    expect(Date.now() - started).toBeLessThan(1490);
  });

  it('refuses connections while down and serves again on the same port once up', async () => {
    await send('GET', '/echo');
    await proxy.down();
    await expect(send('GET', '/echo')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await proxy.up();
    expect((await send('GET', '/echo')).status).toBe(200);
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
  });
});
