import { isRecord } from '../../../../../shared/src/kubernetes/object.ts';

/**
 * An HTTPRoute's rules with the canary's share of the traffic: every backendRef to a stable Service
 * becomes two, the stable Service with `100 - weight` and its canary Service with `weight`, so each
 * rule splits its traffic the same way (Gateway API weights are relative within a rule; a weight of
 * 0 sends nothing). Pure: the rules to restore afterwards are the ones given.
 */
export interface WeightedRules {
  rules: unknown[];
  /** How many backendRefs were split: none means the route does not send traffic to the Services. */
  split: number;
}

export function weightedRules(
  stableRules: readonly unknown[],
  canaryServiceOf: ReadonlyMap<string, string>,
  weight: number,
): WeightedRules {
  let split = 0;
  const rules = stableRules.map((rule) => {
    if (!isRecord(rule) || !Array.isArray(rule.backendRefs)) return rule;
    const backendRefs = rule.backendRefs.flatMap((ref: unknown) => {
      const canary = isServiceRef(ref) ? canaryServiceOf.get(String(ref.name)) : undefined;
      if (!isRecord(ref) || canary === undefined) return [ref];
      split++;
      return [
        { ...ref, weight: 100 - weight },
        { ...ref, name: canary, weight },
      ];
    });
    return { ...rule, backendRefs };
  });
  return { rules, split };
}

/** A backendRef to a core Service (kind and group default to Service and the core group). */
export function isServiceRef(ref: unknown): ref is { name: string } {
  if (!isRecord(ref) || typeof ref.name !== 'string') return false;
  const kind = ref.kind ?? 'Service';
  const group = ref.group ?? '';
  return kind === 'Service' && group === '';
}
