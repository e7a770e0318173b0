// The request-time floor of deploy-k8s's one-ConfigMap deploy: a bare Node script (no bundle, no
// kubeconfig reading, no YAML) making the same calls on one keep-alive TLS connection: read the
// object, dry-run the apply, apply. Plain JS: what Node itself costs, and nothing of Gantry's.
import { request, Agent } from 'node:https';

const { BARE_SERVER: server, BARE_TOKEN: token, BARE_CA: ca, BARE_NAME: name } = process.env;
const agent = new Agent({ ca, keepAlive: true });
const path = `/api/v1/namespaces/default/configmaps/${name}`;
const body = JSON.stringify({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data: { key: 'value' },
});

function call(method, query, payload) {
  return new Promise((resolve, reject) => {
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (payload) headers['Content-Type'] = 'application/apply-patch+yaml';
    const req = request(`${server}${path}${query}`, { method, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const statuses = [
  await call('GET', ''),
  await call('PATCH', '?fieldManager=bare&dryRun=All', body),
  await call('PATCH', '?fieldManager=bare', body),
];
agent.destroy();
if (statuses[2] >= 300) throw new Error(`the apply answered ${statuses.join(', ')}`);
