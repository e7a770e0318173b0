import { stringify } from 'yaml';

/**
 * A kubeconfig for the simulator, like the one a cloud CLI writes: one cluster with the server and
 * its CA inline, one user with a bearer token, one context that is current.
 */
export function buildKubeconfig(
  server: string,
  caCertificate: string,
  token: string,
  namespace?: string,
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'simulator',
        cluster: {
          server,
          'certificate-authority-data': Buffer.from(caCertificate, 'utf8').toString('base64'),
        },
      },
    ],
    users: [{ name: 'simulator-user', user: { token } }],
    contexts: [
      {
        name: 'simulator',
        context: { cluster: 'simulator', user: 'simulator-user', ...(namespace ? { namespace } : {}) },
      },
    ],
    'current-context': 'simulator',
    preferences: {},
  });
}
