import { groupOf, versionOf } from './object.ts';

/**
 * Where each kind lives in the REST API. Built-in kinds come from this table, so a manifest can be
 * checked (and a typo like `Deploymnet` refused) before anything is sent; kinds of other groups
 * belong to CustomResourceDefinitions and are found in the manifests or by discovery.
 */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  /** The lower-case plural of the URL path: `deployments`. */
  plural: string;
  namespaced: boolean;
}

type Row = [apiVersion: string, kind: string, plural: string, namespaced: boolean];

/** Kubernetes 1.30+ built-in kinds a deployment manifest may hold (status-only and review kinds left out). */
const BUILT_IN: Row[] = [
  ['v1', 'Namespace', 'namespaces', false],
  ['v1', 'ConfigMap', 'configmaps', true],
  ['v1', 'Secret', 'secrets', true],
  ['v1', 'Service', 'services', true],
  ['v1', 'ServiceAccount', 'serviceaccounts', true],
  ['v1', 'Pod', 'pods', true],
  ['v1', 'PodTemplate', 'podtemplates', true],
  ['v1', 'ReplicationController', 'replicationcontrollers', true],
  ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true],
  ['v1', 'PersistentVolume', 'persistentvolumes', false],
  ['v1', 'Endpoints', 'endpoints', true],
  ['v1', 'LimitRange', 'limitranges', true],
  ['v1', 'ResourceQuota', 'resourcequotas', true],
  ['v1', 'Event', 'events', true],
  ['apps/v1', 'Deployment', 'deployments', true],
  ['apps/v1', 'StatefulSet', 'statefulsets', true],
  ['apps/v1', 'DaemonSet', 'daemonsets', true],
  ['apps/v1', 'ReplicaSet', 'replicasets', true],
  ['apps/v1', 'ControllerRevision', 'controllerrevisions', true],
  ['batch/v1', 'Job', 'jobs', true],
  ['batch/v1', 'CronJob', 'cronjobs', true],
  ['autoscaling/v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true],
  ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true],
  ['networking.k8s.io/v1', 'Ingress', 'ingresses', true],
  ['networking.k8s.io/v1', 'IngressClass', 'ingressclasses', false],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', true],
  ['discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices', true],
  ['rbac.authorization.k8s.io/v1', 'Role', 'roles', true],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false],
  ['storage.k8s.io/v1', 'StorageClass', 'storageclasses', false],
  ['storage.k8s.io/v1', 'CSIDriver', 'csidrivers', false],
  ['storage.k8s.io/v1', 'VolumeAttachment', 'volumeattachments', false],
  ['scheduling.k8s.io/v1', 'PriorityClass', 'priorityclasses', false],
  ['node.k8s.io/v1', 'RuntimeClass', 'runtimeclasses', false],
  ['coordination.k8s.io/v1', 'Lease', 'leases', true],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false],
  ['apiregistration.k8s.io/v1', 'APIService', 'apiservices', false],
  ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false],
  [
    'admissionregistration.k8s.io/v1',
    'ValidatingWebhookConfiguration',
    'validatingwebhookconfigurations',
    false,
  ],
  ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false],
  [
    'admissionregistration.k8s.io/v1',
    'ValidatingAdmissionPolicyBinding',
    'validatingadmissionpolicybindings',
    false,
  ],
  ['certificates.k8s.io/v1', 'CertificateSigningRequest', 'certificatesigningrequests', false],
  ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', 'flowschemas', false],
  ['flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', false],
];

const TYPES: ResourceType[] = BUILT_IN.map(([apiVersion, kind, plural, namespaced]) => ({
  group: groupOf(apiVersion),
  version: versionOf(apiVersion),
  kind,
  plural,
  namespaced,
}));

/** Groups whose every kind is in the table: a kind of these groups that is not there does not exist. */
const BUILT_IN_GROUPS = new Set([
  ...TYPES.map((type) => type.group),
  // Removed from Kubernetes (1.16-1.22): manifests still carry it, the API no longer serves it.
  'extensions',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'events.k8s.io',
  'resource.k8s.io',
  'storagemigration.k8s.io',
  'internal.apiserver.k8s.io',
]);

export function builtInResourceType(apiVersion: string, kind: string): ResourceType | undefined {
  const group = groupOf(apiVersion);
  const version = versionOf(apiVersion);
  return TYPES.find((type) => type.group === group && type.version === version && type.kind === kind);
}

export function isBuiltInGroup(apiVersion: string): boolean {
  return BUILT_IN_GROUPS.has(groupOf(apiVersion));
}

/**
 * Why a kind of a built-in group cannot be right: a wrong apiVersion for a known kind
 * (`extensions/v1beta1` Deployment), or a kind that does not exist (`Deploymnet`), with a suggestion.
 */
export function explainUnknownBuiltIn(apiVersion: string, kind: string): string {
  const sameKind = TYPES.filter((type) => type.kind === kind);
  if (sameKind.length > 0) {
    const served = [...new Set(sameKind.map(apiVersionOf))].join(' or ');
    return `${kind} is served as ${served}, not ${apiVersion}`;
  }
  const suggestion = closestKind(kind);
  const hint = suggestion ? ` (did you mean ${suggestion.kind} of ${apiVersionOf(suggestion)}?)` : '';
  return `${apiVersion} has no kind "${kind}"${hint}`;
}

function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** `/api/v1/namespaces/shop/services/web`, `/apis/apps/v1/namespaces/shop/deployments`. */
export function resourcePath(type: ResourceType, namespace?: string, name?: string): string {
  const root = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  const scope = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${type.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}

function closestKind(kind: string): ResourceType | undefined {
  let best: { type: ResourceType; distance: number } | undefined;
  for (const type of TYPES) {
    const distance =
      type.kind.toLowerCase() === kind.toLowerCase()
        ? 0
        : editDistance(type.kind.toLowerCase(), kind.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { type, distance };
  }
  return best?.type;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}
