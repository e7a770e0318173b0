import { ActionError } from '../../../../shared/src/errors.ts';
import type { DeploymentPayload } from '../../../../shared/src/github/deployment-payload.ts';
import type { KubernetesClient } from '../../../../shared/src/kubernetes/client/client.ts';
import type { HistoryKind } from '../../../../shared/src/kubernetes/rollback/history.ts';
import type { KubeObject } from '../../../../shared/src/kubernetes/object.ts';
import type { RevisionWanted, RollbackTarget } from '../../../../shared/src/kubernetes/rollback/rollback.ts';
import type { RollbackInputs } from '../inputs.ts';

/**
 * The workloads to roll back and the revision each returns to, from whichever input named them:
 * the `workloads` list, a label `selector` (listed in the namespace), or a deployment record's
 * payload (from-deployment restores the images it recorded; environment alone goes back one
 * revision, or to `to-revision`, on the workloads of the environment's latest record).
 */
export interface PlannedTarget {
  target: RollbackTarget;
  wanted: RevisionWanted;
}

const SELECTABLE: { kind: HistoryKind; plural: string }[] = [
  { kind: 'Deployment', plural: 'deployments' },
  { kind: 'StatefulSet', plural: 'statefulsets' },
  { kind: 'DaemonSet', plural: 'daemonsets' },
];

export async function resolveTargets(
  client: KubernetesClient,
  inputs: RollbackInputs,
  record: { id: number; payload: DeploymentPayload } | undefined,
  signal: AbortSignal,
): Promise<PlannedTarget[]> {
  const namespace = inputs.namespace ?? client.namespace ?? 'default';
  const byRevision: RevisionWanted = { toRevision: inputs.toRevision ?? 0 };
  const source = inputs.source;
  if (source.kind === 'workloads') {
    return source.workloads.map((ref) => ({
      target: target(ref.kind, ref.name, namespace),
      wanted: byRevision,
    }));
  }
  if (source.kind === 'selector') {
    const found = await Promise.all(
      SELECTABLE.map(async ({ kind, plural }) => {
        const list = await client.requestJson<{ items?: KubeObject[] }>({
          path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${plural}`,
          query: { labelSelector: source.selector },
          what: `list the ${plural} matching ${source.selector}`,
          signal,
        });
        return (list.items ?? []).map((item) => target(kind, item.metadata?.name ?? '', namespace));
      }),
    );
    const targets = found.flat();
    if (targets.length === 0) {
      throw new ActionError(
        `No Deployment, StatefulSet or DaemonSet in namespace ${namespace} matches the selector ${source.selector}.`,
      );
    }
    return targets.map((found) => ({ target: found, wanted: byRevision }));
  }
  const workloads = record?.payload.kubernetes?.workloads ?? [];
  if (workloads.length === 0) {
    throw new ActionError(`Deployment ${record?.id ?? '?'} recorded no Kubernetes workloads to roll back.`);
  }
  return workloads.map((workload) => ({
    target: target(workload.kind, workload.name, workload.namespace),
    wanted: source.kind === 'from-deployment' ? { images: workload.containers } : byRevision,
  }));
}

function target(kind: HistoryKind, name: string, namespace: string): RollbackTarget {
  return { apiVersion: 'apps/v1', kind, name, namespace };
}
