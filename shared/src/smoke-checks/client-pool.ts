import { HttpClient, type TlsOptions } from '../net/http.ts';

/** One connection pool per distinct TLS configuration, so checks to one host share keep-alive sockets. */
export class ClientPool {
  private readonly clients = new Map<string, HttpClient>();

  for(tls: TlsOptions): HttpClient {
    const key = JSON.stringify([tls.ca ?? '', tls.insecure ?? false]);
    let client = this.clients.get(key);
    if (!client) {
      client = new HttpClient(tls);
      this.clients.set(key, client);
    }
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
  }
}
