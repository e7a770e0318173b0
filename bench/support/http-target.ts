import { createServer } from 'node:http';

// The service under load, in its own process so that it does not share an event loop (or a core's
// time slices) with the client being measured. Prints its port, then serves until killed.
const body = JSON.stringify({ status: 'ok', version: '1.4.2', checks: { database: 'ok' } });
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.log(`port=${address.port}`);
});
