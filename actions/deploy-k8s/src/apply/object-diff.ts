import { isRecord, type KubeObject } from '../../../../shared/src/kubernetes/object.ts';
import { unifiedDiff } from './line-diff.ts';

/**
 * What `kubectl diff` shows for one object: the live object against the server's dry-run result,
 * as YAML, with managedFields hidden (bookkeeping nobody reviews) and Secret values masked the way
 * kubectl masks them: `***` when unchanged, `*** (before)` / `*** (after)` when changed.
 */
export async function objectDiff(live: KubeObject | undefined, result: KubeObject): Promise<string> {
  const { stringify } = await import('yaml');
  const [before, after] = maskSecretValues(clean(live), clean(result));
  const text = (value: KubeObject | undefined): string =>
    value === undefined ? '' : stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
  return unifiedDiff(text(before), text(after), ['live', 'after apply']);
}

function clean(object: KubeObject | undefined): KubeObject | undefined {
  if (!object) return undefined;
  const copy = structuredClone(object);
  if (copy.metadata) delete copy.metadata.managedFields;
  return copy;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * kubectl's diff masker, for Secrets only: the keys stay visible, the values never are. A Secret
 * once applied client-side also carries its data in the last-applied annotation: masked too.
 */
export function maskSecretValues(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): [KubeObject | undefined, KubeObject | undefined] {
  if ((after ?? before)?.kind !== 'Secret') return [before, after];
  for (const object of [before, after]) {
    const annotations = object?.metadata?.annotations;
    if (annotations?.[LAST_APPLIED] !== undefined) annotations[LAST_APPLIED] = '***';
  }
  for (const key of ['data', 'stringData']) {
    const old = isRecord(before?.[key]) ? (before[key] as Record<string, unknown>) : undefined;
    const next = isRecord(after?.[key]) ? (after[key] as Record<string, unknown>) : undefined;
    for (const name of new Set([...Object.keys(old ?? {}), ...Object.keys(next ?? {})])) {
      const changed = old && next && name in old && name in next && old[name] !== next[name];
      if (old && name in old) old[name] = changed ? '*** (before)' : '***';
      if (next && name in next) next[name] = changed ? '*** (after)' : '***';
    }
  }
  return [before, after];
}
