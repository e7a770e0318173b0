import { isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Agent, ProxyAgent, type buildConnector, type Dispatcher } from 'undici';
import type { ConnectionSettings } from './credentials.ts';

/**
 * The connection pool to the API server, as client-node's KubeConfig.createDispatcher builds it:
 * the kubeconfig's TLS material, and its proxy-url (an HTTP CONNECT proxy, or SOCKS). One pool
 * serves every request, so calls share keep-alive connections and TLS sessions.
 */

/** undici's default of 60 s can race cloud load balancers' idle timeouts (AWS ELB: 60 s); client-go uses 30 s. */
const KEEP_ALIVE_INITIAL_DELAY_MS = 30_000;

export async function createDispatcher(settings: ConnectionSettings): Promise<Dispatcher> {
  const tls: ConnectionOptions = {};
  if (settings.ca) tls.ca = settings.ca;
  if (settings.cert) tls.cert = settings.cert;
  if (settings.key) tls.key = settings.key;
  if (settings.rejectUnauthorized !== undefined) tls.rejectUnauthorized = settings.rejectUnauthorized;
  if (settings.servername) tls.servername = settings.servername;
  const proxy = settings.proxyUrl;
  if (proxy && /^socks/i.test(proxy)) return new Agent({ connect: await socksConnector(proxy, tls) });
  const connect = { ...tls, keepAlive: true, keepAliveInitialDelay: KEEP_ALIVE_INITIAL_DELAY_MS };
  if (proxy) return new ProxyAgent({ uri: proxy, requestTls: tls, connect });
  return new Agent({ connect });
}

/** client-node's SOCKS connector: the tunnel from the `socks` package, TLS to the API server over it. */
async function socksConnector(proxyUrl: string, tls: ConnectionOptions): Promise<buildConnector.connector> {
  const { SocksClient } = await import('socks');
  const proxy = new URL(proxyUrl);
  const type = /^socks4a?:$/i.test(proxy.protocol) ? 4 : 5;
  return (options, callback) => {
    SocksClient.createConnection(
      {
        proxy: { host: proxy.hostname, port: Number(proxy.port) || 1080, type },
        command: 'connect',
        destination: { host: options.hostname, port: Number(options.port) },
      },
      (error, info) => {
        if (error || !info) {
          callback(error ?? new Error(`the SOCKS proxy ${proxy.host} gave no connection`), null);
          return;
        }
        info.socket.setKeepAlive(true, KEEP_ALIVE_INITIAL_DELAY_MS);
        if (options.protocol !== 'https:') {
          callback(null, info.socket);
          return;
        }
        const secure: ConnectionOptions = {
          ...tls,
          socket: info.socket,
          // An IP address is no server name (SNI): Node refuses to send one.
          servername:
            tls.servername ?? options.servername ?? (isIP(options.hostname) ? undefined : options.hostname),
        };
        callback(null, tlsConnect(secure));
      },
    );
  };
}
