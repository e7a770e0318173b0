/**
 * The labels and annotations that hold a progressive release's state in the cluster, so that
 * promote and abort work from another run. Never set on a stable Deployment before promote.
 */

/** On a canary's pods and in its selector: Kubernetes' canary documentation's track label. */
export const TRACK_LABEL = 'gantry.dev/track';
/** The track label's value on a canary (also on the canary Deployment's own labels). */
export const CANARY_TRACK = 'canary';
/** On a colour's pods and in its selector: `blue` or `green`. */
export const COLOUR_LABEL = 'gantry.dev/colour';

/** `canary` or `blue-green`, on every object a strategy writes. */
export const STRATEGY_ANNOTATION = 'gantry.dev/strategy';
/** `pending`, `promoted` or `aborted`. */
export const STATE_ANNOTATION = 'gantry.dev/strategy-state';
/** On a canary Deployment (and its Service): the stable Deployment it is the canary of. */
export const CANARY_OF_ANNOTATION = 'gantry.dev/canary-of';
/** On a canary Deployment with traffic-weights: the weight its HTTPRoute backend has now. */
export const WEIGHT_ANNOTATION = 'gantry.dev/traffic-weight';

/** On a canary Deployment with traffic-weights: the HTTPRoute whose weights it steps. */
export const ROUTE_ANNOTATION = 'gantry.dev/route';

/** On a blue-green Service: the colour its selector points at. */
export const ACTIVE_COLOUR_ANNOTATION = 'gantry.dev/active-colour';
/** On a blue-green Service: the selector before the last switch (JSON), for the switch back. */
export const PREVIOUS_SELECTOR_ANNOTATION = 'gantry.dev/previous-selector';
/** On a blue-green Service: the Deployment that served before the last switch. */
export const PREVIOUS_WORKLOAD_ANNOTATION = 'gantry.dev/previous-workload';
/** On a blue-green Service: the Deployment the last switch pointed at. */
export const ACTIVE_WORKLOAD_ANNOTATION = 'gantry.dev/active-workload';

/** On an HTTPRoute during a traffic-weighted canary: its `spec.rules` before the canary (JSON). */
export const STABLE_RULES_ANNOTATION = 'gantry.dev/stable-rules';
/**
 * On an HTTPRoute that switches blue-green backends: by Deployment, the Deployment its Services'
 * refs send traffic to and the one that served before the last switch (JSON:
 * `{"web": {"active": "web-green", "previous": "web-blue"}}`). Its own rules are in STABLE_RULES_ANNOTATION.
 */
export const COLOURS_ANNOTATION = 'gantry.dev/colours';
/** On a stable Service during a traffic-weighted canary: its selector before the pod-template-hash pin (JSON). */
export const UNPINNED_SELECTOR_ANNOTATION = 'gantry.dev/unpinned-selector';

export type ReleaseState = 'pending' | 'promoted' | 'aborted';

export function releaseState(value: string | undefined): ReleaseState | undefined {
  return value === 'pending' || value === 'promoted' || value === 'aborted' ? value : undefined;
}
