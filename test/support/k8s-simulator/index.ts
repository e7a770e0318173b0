import { generateTestCertificates } from '../tls-certificates.ts';
import { ObjectService } from './api/object-service.ts';
import { ResourceRegistry } from './api/resources.ts';
import { WatchHub } from './api/watch.ts';
import { Behaviour, type BehaviourControls } from './behaviour.ts';
import { startControlLoop } from './controllers/control-loop.ts';
import { DEFINITIONS, NAMESPACES, NODES } from './controllers/context.ts';
import { EventRecorder } from './controllers/events.ts';
import { NODE_ADDRESSES } from './controllers/kubelet.ts';
import { objectAccess, type ObjectAccess } from './object-access.ts';
import { FaultQueue, type Faults } from './server/faults.ts';
import { buildKubeconfig } from './server/kubeconfig.ts';
import type { RecordedRequest } from './server/requests.ts';
import { startServer } from './server/server.ts';
import { HTTP_ROUTE_DEFINITION } from './crds/gateway-api.ts';
import { LogBook } from './store/log-book.ts';
import { ObjectStore } from './store/store.ts';
import { randomBytes } from 'node:crypto';

/**
 * A Kubernetes API server for tests, reached by the real @kubernetes/client-node through an
 * ordinary kubeconfig: HTTPS with a certificate made for the run, bearer-token authentication,
 * the REST API (discovery, CRUD, server-side apply and the other patch types, dry-run, watch,
 * logs, Status errors) and the visible behaviour of the controllers, scheduler and kubelet on
 * two nodes. Tests steer it through `behaviour` and `faults` and read it through `objects` and
 * `requests`. One per test; `close()` ends watches and sockets.
 */

export type {
  BehaviourControls,
  CrashOptions,
  ImageMatcher,
  JobFailure,
  JobMatcher,
  PodMatcher,
} from './behaviour.ts';
export type { FaultSpec, Faults } from './server/faults.ts';
export type { RecordedRequest } from './server/requests.ts';
export type { ObjectAccess } from './object-access.ts';
export type { JsonObject, JsonValue } from './store/json.ts';

export interface KubernetesSimulatorOptions {
  /** How often the controllers run; default 10 ms. */
  tickMs?: number;
  /** How long a started container takes to become ready; default 50 ms. */
  readyDelayMs?: number;
  /** How long a Job's container runs; default 100 ms. */
  jobDurationMs?: number;
  /** First back-off of image pulls and crashed containers (it doubles); default 100 ms. */
  backOffMs?: number;
  /** How often watches that allow bookmarks get one; default 1000 ms. */
  bookmarkIntervalMs?: number;
  /** How many changes watches can resume from before 410 Gone; default 5000. */
  watchHistorySize?: number;
  /** The kubeconfig context's namespace; default none (clients then use `default`). */
  namespace?: string;
  /** Install the Gateway API's HTTPRoute CustomResourceDefinition, served once established. */
  gatewayApi?: boolean;
}

export interface KubernetesSimulator {
  /** `https://127.0.0.1:<port>`. */
  server: string;
  /** A kubeconfig (YAML) for the simulator: cluster, user with the bearer token, current context. */
  kubeconfig: string;
  /** The bearer token the simulator accepts; anything else gets 401. */
  token: string;
  /** The CA that signed the server's certificate (PEM). */
  caCertificate: string;
  /** Every request received, in order of arrival. */
  requests: RecordedRequest[];
  behaviour: BehaviourControls;
  faults: Faults;
  objects: ObjectAccess;
  /** Errors the simulated controllers hit; a test can assert there were none. */
  controllerErrors: readonly Error[];
  /** How many watch connections are open now. */
  openWatches(): number;
  close(): Promise<void>;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startKubernetesSimulator(
  options: KubernetesSimulatorOptions = {},
): Promise<KubernetesSimulator> {
  const certificates = generateTestCertificates();
  const token = `sim-${randomBytes(24).toString('hex')}`;
  const registry = new ResourceRegistry();
  const store = new ObjectStore(options.watchHistorySize ?? 5000);
  const objects = new ObjectService(registry, store);
  const logs = new LogBook();
  const behaviour = new Behaviour({
    readyDelayMs: options.readyDelayMs ?? 50,
    jobDurationMs: options.jobDurationMs ?? 100,
    backOffMs: options.backOffMs ?? 100,
  });
  const watches = new WatchHub(store, { bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000 });
  const faultQueue = new FaultQueue();
  const requests: RecordedRequest[] = [];

  for (const name of SYSTEM_NAMESPACES)
    objects.create(NAMESPACES, { metadata: { name } }, { manager: 'kube-apiserver' });
  for (const [name, address] of Object.entries(NODE_ADDRESSES)) {
    objects.create(
      NODES,
      {
        metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
        status: {
          addresses: [
            { type: 'InternalIP', address },
            { type: 'Hostname', address: name },
          ],
          capacity: { cpu: '2', memory: '4Gi', pods: '110' },
          allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'KubeletReady',
              message: 'kubelet is posting ready status',
            },
          ],
        },
      },
      { manager: 'kubelet', keepStatus: true },
    );
  }

  if (options.gatewayApi) objects.create(DEFINITIONS, HTTP_ROUTE_DEFINITION, { manager: 'kubectl' });

  const loop = startControlLoop(
    { objects, behaviour, logs, events: new EventRecorder(objects) },
    registry,
    options.tickMs ?? 10,
  );
  const server = await startServer({
    rest: { registry, objects, watches, logs },
    token,
    faults: faultQueue,
    requests,
    tls: certificates.server,
  });

  const faults: Faults = {
    inject: (fault) => faultQueue.inject(fault),
    dropWatches: () => watches.dropAll(),
    expireWatchHistory: () => store.compact(),
    clear: () => faultQueue.clear(),
  };

  return {
    server: server.origin,
    kubeconfig: buildKubeconfig(server.origin, certificates.ca.cert, token, options.namespace),
    token,
    caCertificate: certificates.ca.cert,
    requests,
    behaviour,
    faults,
    objects: objectAccess(objects),
    controllerErrors: loop.errors,
    openWatches: () => watches.count,
    close: async () => {
      loop.stop();
      await server.close();
    },
  };
}
