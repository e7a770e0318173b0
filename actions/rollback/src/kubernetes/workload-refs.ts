import type { HistoryKind } from '../../../../shared/src/kubernetes/rollback/history.ts';

/**
 * `kind/name` as a person types it for `kubectl rollout undo`: the kind in any of kubectl's
 * spellings (deployment, deployments, deploy, deployment.apps; statefulset, sts; daemonset, ds),
 * the name a DNS subdomain. Pure: undefined for text it cannot read.
 */
export interface WorkloadRef {
  kind: HistoryKind;
  name: string;
}

export const WORKLOAD_REF_ACCEPTED =
  'expected kind/name with kind deployment, statefulset or daemonset (or deploy, sts, ds), like deployment/api';

const KINDS: Record<string, HistoryKind> = {
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  'deployment.apps': 'Deployment',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  'statefulset.apps': 'StatefulSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  'daemonset.apps': 'DaemonSet',
};

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function parseWorkloadRef(text: string): WorkloadRef | undefined {
  const parts = text.trim().split('/');
  if (parts.length !== 2) return undefined;
  const kind = KINDS[(parts[0] ?? '').toLowerCase()];
  const name = parts[1] ?? '';
  if (!kind || name.length > 253 || !SUBDOMAIN.test(name)) return undefined;
  return { kind, name };
}

/** The key of outputs: `deployment/api`. */
export function outputKey(ref: { kind: string; name: string }): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}
