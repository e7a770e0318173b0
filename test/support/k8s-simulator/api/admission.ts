import { arrayAt, child, isObject, objectAt, type JsonObject } from '../store/json.ts';

/**
 * What the API server fills in when an object is created (each type's PrepareForCreate and
 * allocators): a Job's generated selector and labels, a Service's cluster IP, a Pod's initial
 * status. Runs once, before defaulting and validation.
 */

export interface CreateContext {
  uid: string;
  /** The next free address in the service CIDR. */
  allocateClusterIp(): string;
}

function qosClass(pod: JsonObject): string {
  const containers = arrayAt(pod, 'spec', 'containers').filter(isObject);
  const resources = containers.map((container) => objectAt(container, 'resources') ?? {});
  const anySet = resources.some(
    (r) =>
      Object.keys(objectAt(r, 'requests') ?? {}).length + Object.keys(objectAt(r, 'limits') ?? {}).length > 0,
  );
  if (!anySet) return 'BestEffort';
  const guaranteed = resources.every((r) => {
    const limits = objectAt(r, 'limits') ?? {};
    const requests = objectAt(r, 'requests') ?? limits;
    return ['cpu', 'memory'].every((name) => limits[name] !== undefined && requests[name] === limits[name]);
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const BY_KIND: Record<string, (object: JsonObject, context: CreateContext) => void> = {
  Job: (job, context) => {
    const spec = child(job, 'spec');
    if (spec.manualSelector === true) return;
    const name = String(objectAt(job, 'metadata')?.name ?? '');
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': context.uid } };
    const labels = child(child(child(spec, 'template'), 'metadata'), 'labels');
    Object.assign(labels, {
      'batch.kubernetes.io/controller-uid': context.uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': context.uid,
      'job-name': name,
    });
  },
  Service: (service, context) => {
    const spec = child(service, 'spec');
    if (spec.type === 'ExternalName' || spec.clusterIP === 'None') return;
    if (typeof spec.clusterIP !== 'string' || spec.clusterIP === '')
      spec.clusterIP = context.allocateClusterIp();
    spec.clusterIPs = [spec.clusterIP];
  },
  Pod: (pod) => {
    pod.status = { phase: 'Pending', qosClass: qosClass(pod) };
  },
};

export function prepareForCreate(kind: string, object: JsonObject, context: CreateContext): void {
  BY_KIND[kind]?.(object, context);
}

/** Values allocated at creation that an update may leave out without giving them up. */
export function keepAllocated(kind: string, object: JsonObject, old: JsonObject): void {
  if (kind !== 'Service') return;
  const spec = child(object, 'spec');
  const oldSpec = objectAt(old, 'spec') ?? {};
  if (spec.clusterIP === undefined && oldSpec.clusterIP !== undefined) spec.clusterIP = oldSpec.clusterIP;
  if (spec.clusterIPs === undefined && oldSpec.clusterIPs !== undefined) spec.clusterIPs = oldSpec.clusterIPs;
}
