import type { KubernetesClient } from '../../../../../shared/src/kubernetes/client/client.ts';
import type { KubeObject } from '../../../../../shared/src/kubernetes/object.ts';
import { listHistory } from '../../../../../shared/src/kubernetes/rollback/history.ts';
import { replicaSetRevision } from '../../../../../shared/src/kubernetes/rollback/rollback-plan.ts';
import type { Manifest } from '../../manifests/manifest.ts';
import { withChanges } from '../render.ts';
import {
  annotationsPatch,
  patchLatest,
  replaceMap,
  SERVICES_PATH,
  type WriteOptions,
} from '../state/cluster-writes.ts';
import { UNPINNED_SELECTOR_ANNOTATION } from '../state/keys.ts';
import type { Labels } from '../workloads.ts';

/**
 * A Service's selector pinned to the pods of one ReplicaSet (its `pod-template-hash` label, as Argo
 * Rollouts does) while new pods carrying the same labels run beside them, and given back exactly
 * afterwards. The selector before the pin is kept in the Service's own annotation, so any later
 * run can undo it.
 */
const POD_TEMPLATE_HASH = 'pod-template-hash';

/** The Service with `unpinned` plus the hash as its selector, `unpinned` recorded beside it. */
export function renderPinnedService(
  service: Manifest,
  podTemplateHash: string,
  unpinned: Labels,
  annotations: Record<string, string> = {},
): Manifest {
  return withChanges(service, (object) => {
    object.metadata.annotations = {
      ...object.metadata.annotations,
      ...annotations,
      [UNPINNED_SELECTOR_ANNOTATION]: JSON.stringify(unpinned),
    };
    object.spec = { ...object.spec, selector: { ...unpinned, [POD_TEMPLATE_HASH]: podTemplateHash } };
  });
}

/** The selector a live Service had before a pin, if it is pinned. */
export function unpinnedSelector(live: KubeObject | undefined): Labels | undefined {
  const saved = live?.metadata?.annotations?.[UNPINNED_SELECTOR_ANNOTATION];
  return saved ? (JSON.parse(saved) as Labels) : undefined;
}

/** Gives each pinned Service the selector it had before the pin; reads only when none is pinned. */
export async function unpinServices(
  client: KubernetesClient,
  services: readonly Manifest[],
  options: WriteOptions,
  onStep: (text: string) => void,
): Promise<void> {
  for (const service of services) {
    const { name, namespace = '' } = service.object.metadata;
    const unpinned = await patchLatest(
      client,
      SERVICES_PATH(namespace, name),
      `unpin the selector of Service/${namespace}/${name}`,
      (live) => {
        const saved = unpinnedSelector(live);
        if (!saved) return undefined;
        return {
          metadata: { annotations: annotationsPatch({}, [UNPINNED_SELECTOR_ANNOTATION]) },
          spec: { selector: replaceMap((live.spec?.selector ?? {}) as Labels, saved) },
        };
      },
      options,
    );
    if (unpinned) onStep(`Service/${namespace}/${name}: selector no longer pinned to one ReplicaSet's pods.`);
  }
}

/**
 * The pod-template-hash of a Deployment whose rollout has settled: one ReplicaSet, at the current
 * revision, runs all its pods. Mid-rollout (the controller has not seen the last change, or an
 * older ReplicaSet still has pods) there is no single set of pods to pin to: the reason instead.
 */
export async function settledPodTemplateHash(
  client: KubernetesClient,
  deployment: KubeObject,
  signal: AbortSignal,
): Promise<{ hash: string } | { reason: string }> {
  const generation = deployment.metadata?.generation;
  const observed = deployment.status?.observedGeneration as number | undefined;
  if (generation !== undefined && (observed === undefined || observed < generation)) {
    return { reason: 'its controller has not yet rolled out its last change' };
  }
  const revision = replicaSetRevision(deployment);
  const replicaSets = await listHistory(client, 'Deployment', deployment, signal);
  const current = replicaSets.find((replicaSet) => replicaSetRevision(replicaSet) === revision);
  const hash = current?.metadata?.labels?.[POD_TEMPLATE_HASH];
  if (!current || !hash) return { reason: 'it has no ReplicaSet at its current revision yet' };
  const older = replicaSets.filter((replicaSet) => replicaSet !== current && podCount(replicaSet) > 0);
  if (older.length > 0) {
    const names = older.map((replicaSet) => `ReplicaSet/${replicaSet.metadata?.name ?? ''}`).join(', ');
    return { reason: `it is mid-rollout: ${names} of an older revision still runs pods` };
  }
  return { hash };
}

function podCount(replicaSet: KubeObject): number {
  const wanted = replicaSet.spec?.replicas;
  const running = replicaSet.status?.replicas;
  return Math.max(typeof wanted === 'number' ? wanted : 0, typeof running === 'number' ? running : 0);
}
