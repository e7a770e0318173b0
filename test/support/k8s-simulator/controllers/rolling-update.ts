/**
 * The arithmetic of a Deployment's rolling update (rolling.go), apart from the objects: which
 * ReplicaSet to scale to what in one sync. Like the controller, a sync scales the new ReplicaSet up
 * (within replicas + maxSurge) or, when it cannot, scales old ones down (unhealthy replicas first,
 * then available ones down to replicas - maxUnavailable), never both.
 */

export interface Fenceposts {
  maxSurge: number;
  maxUnavailable: number;
}

export interface ReplicaSetCount {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
}

export interface ScaleStep {
  name: string;
  replicas: number;
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow with `total` replicas in all ReplicaSets. */
export function newReplicaSetTarget(
  desired: number,
  posts: Fenceposts,
  current: number,
  total: number,
): number {
  const maxTotal = desired + posts.maxSurge;
  if (total >= maxTotal) return current;
  return current + Math.min(maxTotal - total, desired - current);
}

/** The scale steps of one sync; `old` is ordered oldest first, as the controller scales them down. */
export function rollingUpdateSteps(
  desired: number,
  posts: Fenceposts,
  newSet: ReplicaSetCount,
  old: ReplicaSetCount[],
): ScaleStep[] {
  const total = (sets: ReplicaSetCount[]): number => sets.reduce((sum, set) => sum + set.replicas, 0);
  if (newSet.replicas > desired) return [{ name: newSet.name, replicas: desired }];
  if (newSet.replicas < desired) {
    const target = newReplicaSetTarget(desired, posts, newSet.replicas, newSet.replicas + total(old));
    if (target !== newSet.replicas) return [{ name: newSet.name, replicas: target }];
  }
  if (total(old) === 0) return [];

  const minAvailable = desired - posts.maxUnavailable;
  const maxScaledDown = newSet.replicas + total(old) - minAvailable - (newSet.replicas - newSet.available);
  if (maxScaledDown <= 0) return [];
  const steps: ScaleStep[] = [];
  const replicas = new Map(old.map((set) => [set.name, set.replicas]));

  let cleaned = 0;
  for (const set of old) {
    if (cleaned >= maxScaledDown) break;
    const current = replicas.get(set.name)!;
    const unhealthy = current - set.available;
    if (current === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    replicas.set(set.name, current - down);
    steps.push({ name: set.name, replicas: current - down });
    cleaned += down;
  }

  const available = newSet.available + old.reduce((sum, set) => sum + set.available, 0);
  if (available <= minAvailable) return steps;
  const wanted = available - minAvailable;
  let scaled = 0;
  for (const set of old) {
    if (scaled >= wanted) break;
    const current = replicas.get(set.name)!;
    if (current === 0) continue;
    const down = Math.min(current, wanted - scaled);
    replicas.set(set.name, current - down);
    steps.push({ name: set.name, replicas: current - down });
    scaled += down;
  }
  return steps;
}
