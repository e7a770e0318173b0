import type { EcsCluster, ServiceDeployment } from '../model.ts';

/**
 * Lets a test react to a service deployment's progress instead of guessing how long it takes:
 * `when(d => d.lifecycleStage === 'BAKE_TIME')` resolves as the scheduler pass that reaches it
 * runs (a pass runs when a client calls or a test reads or advances the clock), e.g. to advance
 * the clock through the bake time while an action polls.
 */

type Listener = (deployment: ServiceDeployment) => void;

export class ServiceDeploymentWatch {
  private readonly listeners = new Set<Listener>();
  private readonly states = new Map<ServiceDeployment, string>();

  /** Calls `listener` at each change of any service deployment's status, stage or traffic; returns the unsubscribe. */
  watch(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The first service deployment that satisfies `predicate`, now or at a later change. */
  when(
    clusters: Iterable<EcsCluster>,
    predicate: (deployment: ServiceDeployment) => boolean,
  ): Promise<ServiceDeployment> {
    const already = current(clusters).find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise((resolve) => {
      const stop = this.watch((deployment) => {
        if (!predicate(deployment)) return;
        stop();
        resolve(deployment);
      });
    });
  }

  /** Tells the listeners what changed since the last look. */
  notice(clusters: Iterable<EcsCluster>): void {
    if (this.listeners.size === 0) return;
    for (const deployment of current(clusters)) {
      const state = `${deployment.status} ${deployment.lifecycleStage ?? ''} ${deployment.productionTraffic}`;
      if (this.states.get(deployment) === state) continue;
      this.states.set(deployment, state);
      for (const listener of [...this.listeners]) listener(deployment);
    }
  }
}

/** The two newest deployments of each service: the current one and the one it may have stopped. */
function current(clusters: Iterable<EcsCluster>): ServiceDeployment[] {
  return [...clusters].flatMap((cluster) =>
    [...cluster.services.values()].flatMap((service) => service.serviceDeployments.slice(0, 2)),
  );
}
