import { isRecord } from '../kubernetes/object.ts';

/**
 * What a deployment record's `payload` holds, the contract between the deploy actions that write
 * records and the rollback action that reads them: the platform and its coordinates, the images
 * with their digests, the revisions or task definitions before and after, the run, and for a
 * rollback the deployment it replaced. Keys are snake_case, as the rest of GitHub's deployment.
 * Kubernetes revision numbers change when a revision is rolled back to (it becomes the newest), so
 * the containers' images, not the numbers, are what identifies a release later.
 */
export const PAYLOAD_VERSION = 1;

export type RecordedAction = 'deploy-k8s' | 'deploy-ecs' | 'rollback';
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface RecordedWorkload {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  /** The revision this release is (or was restored as), when known. */
  revision: number | null;
  /** The revision that ran before it; null when the deploy created the workload. */
  previous_revision: number | null;
  /** Container name -> image reference, with its digest when the deploy knew it. */
  containers: Record<string, string>;
}

export interface KubernetesCoordinates {
  /** The kubeconfig context's name: for people reading the record, not used to connect. */
  context?: string;
  workloads: RecordedWorkload[];
}

export interface EcsCoordinates {
  cluster: string;
  service: string;
  task_definition: string;
  previous_task_definition: string | null;
}

export interface DeploymentPayload {
  gantry: typeof PAYLOAD_VERSION;
  action: RecordedAction;
  platform: 'kubernetes' | 'ecs';
  kubernetes?: KubernetesCoordinates;
  ecs?: EcsCoordinates;
  /** Every image of the release, one entry each. */
  images: string[];
  run_url: string | null;
  /** For a rollback: the id of the deployment it replaced, failed or not. */
  rollback_of?: number;
}

/**
 * A payload from what an action knows: the platform follows from the coordinates given, the
 * images from the workloads' containers unless listed (ECS), and the run URL from the run.
 */
export function releasePayload(fields: {
  action: RecordedAction;
  kubernetes?: KubernetesCoordinates;
  ecs?: EcsCoordinates;
  images?: string[];
  runUrl: string | undefined;
  rollbackOf?: number;
}): DeploymentPayload {
  const fromWorkloads = (fields.kubernetes?.workloads ?? []).flatMap((workload) =>
    Object.values(workload.containers),
  );
  return {
    gantry: PAYLOAD_VERSION,
    action: fields.action,
    platform: fields.ecs ? 'ecs' : 'kubernetes',
    ...(fields.kubernetes ? { kubernetes: fields.kubernetes } : {}),
    ...(fields.ecs ? { ecs: fields.ecs } : {}),
    images: [...new Set(fields.images ?? fromWorkloads)],
    run_url: fields.runUrl ?? null,
    ...(fields.rollbackOf === undefined ? {} : { rollback_of: fields.rollbackOf }),
  };
}

/** A payload Gantry wrote, or undefined for anything else (another tool's deployments, old shapes). */
export function readPayload(value: unknown): DeploymentPayload | undefined {
  const payload = typeof value === 'string' ? parseJson(value) : value;
  if (!isRecord(payload) || payload.gantry !== PAYLOAD_VERSION) return undefined;
  if (payload.platform === 'kubernetes') {
    const coordinates = payload.kubernetes;
    if (!isRecord(coordinates) || !Array.isArray(coordinates.workloads)) return undefined;
    if (!coordinates.workloads.every(isRecordedWorkload)) return undefined;
  } else if (payload.platform === 'ecs') {
    const ecs = payload.ecs;
    if (!isRecord(ecs) || typeof ecs.cluster !== 'string' || typeof ecs.service !== 'string')
      return undefined;
    if (typeof ecs.task_definition !== 'string') return undefined;
  } else {
    return undefined;
  }
  return payload as unknown as DeploymentPayload;
}

function isRecordedWorkload(value: unknown): value is RecordedWorkload {
  return (
    isRecord(value) &&
    (value.kind === 'Deployment' || value.kind === 'StatefulSet' || value.kind === 'DaemonSet') &&
    typeof value.name === 'string' &&
    typeof value.namespace === 'string' &&
    isRecord(value.containers) &&
    Object.values(value.containers).every((image) => typeof image === 'string')
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** GitHub refuses a status description over 140 characters; longer text is cut with an ellipsis. */
export const MAX_DESCRIPTION_CHARS = 140;

export function limitDescription(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const characters = Array.from(oneLine);
  if (characters.length <= MAX_DESCRIPTION_CHARS) return oneLine;
  return `${characters.slice(0, MAX_DESCRIPTION_CHARS - 1).join('')}…`;
}
