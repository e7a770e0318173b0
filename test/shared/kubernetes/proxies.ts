import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * The two kinds of proxy a kubeconfig's proxy-url may name, as small as they can be and still speak
 * the real protocol: an HTTP proxy tunnelling with CONNECT, and a SOCKS5 proxy (no authentication,
 * CONNECT to an IPv4 address or a name). Each counts the tunnels it opened and to where.
 */
export interface TestProxy {
  url: string;
  /** `host:port` of each tunnel opened. */
  tunnels: string[];
  close(): Promise<void>;
}

export async function startConnectProxy(): Promise<TestProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server: HttpServer = createHttpServer((_request, response) => {
    response.writeHead(405).end('CONNECT only');
  });
  server.on('connect', (request, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    tunnels.push(target);
    const [host, port] = splitHostPort(target);
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    track(sockets, client, upstream);
  });
  return listening(server, 'http', tunnels, sockets);
}

export async function startSocks5Proxy(): Promise<TestProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    client.once('data', (greeting) => {
      // VER 5, NMETHODS, METHODS...: answer "no authentication".
      if (greeting[0] !== 5) return client.destroy();
      client.write(Buffer.from([5, 0]));
      client.once('data', (request) => {
        const target = socksTarget(request);
        if (!target) return client.destroy();
        tunnels.push(`${target.host}:${target.port}`);
        const upstream = connect(target.port, target.host, () => {
          // VER 5, REP succeeded, RSV, ATYP IPv4, BND.ADDR 0.0.0.0, BND.PORT 0.
          client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
          upstream.pipe(client).pipe(upstream);
        });
        track(sockets, client, upstream);
      });
    });
  });
  return listening(server, 'socks5', tunnels, sockets);
}

/** VER 5, CMD 1 (CONNECT), RSV, ATYP (1: IPv4, 3: name), address, port. */
function socksTarget(request: Buffer): { host: string; port: number } | undefined {
  if (request[0] !== 5 || request[1] !== 1) return undefined;
  if (request[3] === 1) {
    return { host: [...request.subarray(4, 8)].join('.'), port: request.readUInt16BE(8) };
  }
  if (request[3] === 3) {
    const length = request[4] ?? 0;
    return {
      host: request.subarray(5, 5 + length).toString('ascii'),
      port: request.readUInt16BE(5 + length),
    };
  }
  return undefined;
}

function splitHostPort(target: string): [string, number] {
  const index = target.lastIndexOf(':');
  return [target.slice(0, index).replace(/^\[|\]$/g, ''), Number(target.slice(index + 1))];
}

function track(sockets: Set<Socket>, ...pair: Socket[]): void {
  for (const socket of pair) {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => pair.forEach((each) => each.destroy()));
  }
}

async function listening(
  server: Server | HttpServer,
  scheme: string,
  tunnels: string[],
  sockets: Set<Socket>,
): Promise<TestProxy> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    tunnels,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
