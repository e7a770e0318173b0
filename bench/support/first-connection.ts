import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP pass-through in front of a server that notes when the first connection of a run arrives:
 * the time a client took to start before its first request (TLS passes through untouched, so a
 * certificate made for 127.0.0.1 still matches). Both clients of a comparison go through it alike.
 */
export interface FirstConnectionProbe {
  /** `https://127.0.0.1:<port>`: where clients are pointed instead of the server. */
  origin: string;
  /** Forgets the last run's first connection. */
  reset(): void;
  /** `performance.now()` of the first connection since reset, or undefined when none came. */
  firstConnectionAt(): number | undefined;
  close(): Promise<void>;
}

export async function startFirstConnectionProbe(target: string): Promise<FirstConnectionProbe> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let first: number | undefined;
  const server: Server = createServer((client) => {
    first ??= performance.now();
    const backend = connect(Number(upstream.port), upstream.hostname);
    for (const socket of [client, backend]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        backend.destroy();
      });
    }
    client.pipe(backend).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `${upstream.protocol}//127.0.0.1:${port}`,
    reset: () => {
      first = undefined;
    },
    firstConnectionAt: () => first,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
