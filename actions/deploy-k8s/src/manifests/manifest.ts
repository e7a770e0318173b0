import type { KubeObject } from '../../../../shared/src/kubernetes/object.ts';

/** One object from the manifests, and where it came from for messages. */
export interface Manifest {
  object: KubeObject & { apiVersion: string; kind: string; metadata: { name: string } };
  /** `k8s/app.yaml, document 2`, or `k8s/list.yaml, document 1, item 3`. */
  source: string;
}
