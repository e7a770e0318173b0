import { stringify } from 'yaml';
import type { KubeObject } from '../../shared/src/kubernetes/object.ts';
import { webApp } from '../deploy-k8s/helpers.ts';
import { daemonSet, job, statefulSet } from '../shared/kubernetes/simulated-cluster.ts';

/**
 * The release the Role's scenarios deploy, built from the deploy-k8s and rollback tests' fixtures:
 * every kind deploy-k8s waits for (Deployment, StatefulSet, DaemonSet, Job, CronJob, bare Pod) and
 * the kinds a release brings with it (Service, ConfigMap, Secret), all in namespace `shop`, which
 * the cluster's administrator made. The long-running workloads run `shop/web`, which `images`
 * replaces; the Job, CronJob and Pod run `shop/tools`, so a new image leaves their immutable
 * templates alone.
 */
export const NAMESPACE = 'shop';
export const WEB = 'registry.example.com:5000/shop/web';
const TOOLS = 'registry.example.com:5000/shop/tools:1.0';

const inShop = (object: KubeObject): KubeObject => ({
  ...object,
  metadata: { ...object.metadata, namespace: NAMESPACE },
});

const others: KubeObject[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-settings' }, data: { LOG_LEVEL: 'info' } },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'web-keys' },
    stringData: { API_KEY: 'not-a-secret' },
  },
  statefulSet('db', `${WEB}:1.0`),
  daemonSet('agent', `${WEB}:1.0`),
  job('seed', TOOLS),
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly' },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: {
        spec: {
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'report', image: TOOLS }] } },
        },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'toolbox' },
    spec: { containers: [{ name: 'shell', image: TOOLS }] },
  },
].map(inShop);

export const RELEASE_FILES: Record<string, string> = {
  'k8s/web.yaml': webApp({ namespace: NAMESPACE, image: `${WEB}:1.0` }),
  'k8s/others.yaml': others.map((object) => stringify(object)).join('---\n'),
  // A release that ships its CustomResourceDefinition, and a custom resource of it: not granted.
  'k8s-with-crd/widget.yaml': `apiVersion: example.com/v1
kind: Widget
metadata: {name: gizmo, namespace: ${NAMESPACE}}
spec: {size: 3}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`,
  // Progressive delivery: a Deployment and its Service alone (strategies take Deployments only),
  // and the same behind a Gateway API HTTPRoute for a traffic-weighted canary.
  'k8s-web/web.yaml': webApp({ namespace: NAMESPACE, image: `${WEB}:1.0` }),
  'k8s-route/web.yaml': webApp({ namespace: NAMESPACE, image: `${WEB}:1.0` }),
  'k8s-route/route.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: ${NAMESPACE}}
spec:
  parentRefs: [{name: public-gateway}]
  rules:
  - backendRefs: [{name: web, port: 80}]
`,
  // An analysis whose one check is a Job in the cluster.
  'analysis/job-check.yaml': `interval: 1s
count: 1
checks:
  - name: e2e
    job:
      apiVersion: batch/v1
      kind: Job
      metadata: {name: e2e}
      spec:
        template:
          spec:
            restartPolicy: Never
            containers: [{name: e2e, image: '${TOOLS}'}]
`,
  // A release that brings its own namespace: what needs the ClusterRole.
  'k8s-new-namespace/web.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop-preview}\n---\n${webApp({ namespace: 'shop-preview', image: `${WEB}:1.0` })}`,
};
