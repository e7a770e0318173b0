import { isRecord } from '../../../../../shared/src/kubernetes/object.ts';
import { isServiceRef } from '../traffic/route-weights.ts';

/**
 * An HTTPRoute's rules with blue-green backends, computed from the route's own rules (as written
 * by its owner, before any switch): every backendRef to a Service in front of a Deployment becomes
 * a ref to the Service that serves (a colour's `<service>-<colour>`, or the Service itself for an
 * adopted plain Deployment) plus, while the other colour is kept for a switch back, a ref to that
 * one with weight 0 (Flagger's 100/0 blue-green on the Gateway API). Pure: the own rules are kept
 * elsewhere, and a ref whose Service serves with no idle one is left exactly as it was.
 */
export interface Backends {
  /** The Service that takes the ref's traffic. */
  active: string;
  /** The Service kept beside it at weight 0; undefined when nothing is kept. */
  idle: string | undefined;
}

export interface ColourRules {
  rules: unknown[];
  /** The Services of `backendsOf` that some rule references. */
  referenced: Set<string>;
}

export function colourRules(
  ownRules: readonly unknown[],
  backendsOf: ReadonlyMap<string, Backends>,
): ColourRules {
  const referenced = new Set<string>();
  const rules = ownRules.map((rule) => {
    if (!isRecord(rule) || !Array.isArray(rule.backendRefs)) return rule;
    const refs: unknown[] = rule.backendRefs;
    const backendRefs = refs.flatMap((ref) => {
      const backends = isServiceRef(ref) ? backendsOf.get(ref.name) : undefined;
      if (!isServiceRef(ref) || backends === undefined) return [ref];
      referenced.add(ref.name);
      if (backends.active === ref.name && backends.idle === undefined) return [ref];
      return [
        { ...ref, name: backends.active, weight: activeWeight(ref, refs.length) },
        ...(backends.idle === undefined ? [] : [{ ...ref, name: backends.idle, weight: 0 }]),
      ];
    });
    return { ...rule, backendRefs };
  });
  return { rules, referenced };
}

/** The Services a route's rules send traffic to (core Services only), by name. */
export function referencedServices(rules: readonly unknown[]): Set<string> {
  const names = new Set<string>();
  for (const rule of rules) {
    if (!isRecord(rule) || !Array.isArray(rule.backendRefs)) continue;
    for (const ref of rule.backendRefs as unknown[]) if (isServiceRef(ref)) names.add(ref.name);
  }
  return names;
}

/**
 * The serving ref keeps the share its rule gave the Service: its own weight, or the Gateway API's
 * default of 1 beside other backends; alone in its rule, 100 reads plainly against the idle 0.
 */
function activeWeight(ref: { name: string; weight?: unknown }, refsInRule: number): number {
  if (typeof ref.weight === 'number') return ref.weight;
  return refsInRule === 1 ? 100 : 1;
}
