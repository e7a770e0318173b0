import { arrayAt, child, isObject, objectAt, type JsonObject } from '../store/json.ts';
import { podSpecOf } from './pod-templates.ts';

/**
 * The API server's defaulting (the defaults.go of each API group) for the fields tools read back: what
 * `kubectl get -o yaml` shows that nobody wrote. Applied to every object written, after patches are
 * merged, so an apply that leaves a defaulted field out does not change it.
 */

function setDefault(object: JsonObject, key: string, value: JsonObject[string]): void {
  if (object[key] === undefined || object[key] === null) object[key] = value;
}

/** `IfNotPresent` for a pinned tag or digest, `Always` for `:latest` or no tag. */
function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(container: JsonObject): void {
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  if (typeof container.image === 'string')
    setDefault(container, 'imagePullPolicy', defaultPullPolicy(container.image));
  setDefault(container, 'resources', {});
  for (const port of arrayAt(container, 'ports')) if (isObject(port)) setDefault(port, 'protocol', 'TCP');
  for (const env of arrayAt(container, 'env')) {
    const fieldRef = objectAt(env, 'valueFrom', 'fieldRef');
    if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
  }
}

function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const list of ['containers', 'initContainers']) {
    for (const container of arrayAt(spec, list)) if (isObject(container)) defaultContainer(container);
  }
}

const BY_KIND: Record<string, (object: JsonObject) => void> = {
  Namespace: (namespace) => {
    const metadata = child(namespace, 'metadata');
    child(metadata, 'labels')['kubernetes.io/metadata.name'] = String(metadata.name ?? '');
    setDefault(child(namespace, 'spec'), 'finalizers', ['kubernetes']);
    setDefault(child(namespace, 'status'), 'phase', 'Active');
  },
  Deployment: (deployment) => {
    const spec = child(deployment, 'spec');
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    const strategy = child(spec, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = child(strategy, 'rollingUpdate');
      setDefault(rollingUpdate, 'maxUnavailable', '25%');
      setDefault(rollingUpdate, 'maxSurge', '25%');
    }
  },
  ReplicaSet: (replicaSet) => setDefault(child(replicaSet, 'spec'), 'replicas', 1),
  StatefulSet: (statefulSet) => {
    const spec = child(statefulSet, 'spec');
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'podManagementPolicy', 'OrderedReady');
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
    const strategy = child(spec, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') setDefault(child(strategy, 'rollingUpdate'), 'partition', 0);
  },
  DaemonSet: (daemonSet) => {
    const spec = child(daemonSet, 'spec');
    setDefault(spec, 'revisionHistoryLimit', 10);
    const strategy = child(spec, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = child(strategy, 'rollingUpdate');
      setDefault(rollingUpdate, 'maxUnavailable', 1);
      setDefault(rollingUpdate, 'maxSurge', 0);
    }
  },
  Job: (job) => {
    const spec = child(job, 'spec');
    setDefault(spec, 'parallelism', 1);
    setDefault(spec, 'completions', 1);
    setDefault(spec, 'backoffLimit', 6);
    setDefault(spec, 'completionMode', 'NonIndexed');
    setDefault(spec, 'suspend', false);
    setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
    setDefault(spec, 'manualSelector', false);
  },
  CronJob: (cronJob) => {
    const spec = child(cronJob, 'spec');
    setDefault(spec, 'concurrencyPolicy', 'Allow');
    setDefault(spec, 'suspend', false);
    setDefault(spec, 'successfulJobsHistoryLimit', 3);
    setDefault(spec, 'failedJobsHistoryLimit', 1);
  },
  Service: (service) => {
    const spec = child(service, 'spec');
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    for (const port of arrayAt(spec, 'ports')) {
      if (!isObject(port)) continue;
      setDefault(port, 'protocol', 'TCP');
      setDefault(port, 'targetPort', port.port ?? null);
    }
    setDefault(child(service, 'status'), 'loadBalancer', {});
  },
  Secret: (secret) => {
    setDefault(secret, 'type', 'Opaque');
    foldStringData(secret);
  },
  PersistentVolumeClaim: (claim) => setDefault(child(claim, 'spec'), 'volumeMode', 'Filesystem'),
  Ingress: (ingress) => setDefault(child(ingress, 'status'), 'loadBalancer', {}),
  CustomResourceDefinition: (definition) =>
    setDefault(child(definition, 'spec'), 'conversion', { strategy: 'None' }),
};

/**
 * The API server folds a Secret's write-only `stringData` into base64 `data` (stringData wins on a
 * shared key) and never returns `stringData`.
 */
function foldStringData(secret: JsonObject): void {
  const stringData = secret.stringData;
  delete secret.stringData;
  if (!isObject(stringData)) return;
  const data = child(secret, 'data');
  for (const [key, value] of Object.entries(stringData)) {
    if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
  }
}

export function applyDefaults(kind: string, object: JsonObject): void {
  BY_KIND[kind]?.(object);
  const podSpec = podSpecOf(object, kind);
  if (podSpec) defaultPodSpec(podSpec);
}
