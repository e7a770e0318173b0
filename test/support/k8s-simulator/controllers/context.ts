import type { ObjectService } from '../api/object-service.ts';
import { BUILT_IN_TYPES, type ResourceType } from '../api/resources.ts';
import type { Behaviour } from '../behaviour.ts';
import type { LogBook } from '../store/log-book.ts';
import type { EventRecorder } from './events.ts';

/** What every simulated controller works with. */
export interface ControllerContext {
  objects: ObjectService;
  behaviour: Behaviour;
  logs: LogBook;
  events: EventRecorder;
  /**
   * Asks for the controllers to run again at `at` (epoch ms) even if no object changes by then:
   * a container becoming ready, a back-off ending, a progress deadline passing.
   */
  wake(at: number): void;
}

function builtIn(kind: string): ResourceType {
  const type = BUILT_IN_TYPES.find((candidate) => candidate.kind === kind);
  if (!type) throw new Error(`no built-in type ${kind}`);
  return type;
}

export const PODS = builtIn('Pod');
export const NODES = builtIn('Node');
export const EVENTS = builtIn('Event');
export const DEPLOYMENTS = builtIn('Deployment');
export const REPLICA_SETS = builtIn('ReplicaSet');
export const STATEFUL_SETS = builtIn('StatefulSet');
export const DAEMON_SETS = builtIn('DaemonSet');
export const CONTROLLER_REVISIONS = builtIn('ControllerRevision');
export const JOBS = builtIn('Job');
export const DEFINITIONS = builtIn('CustomResourceDefinition');
export const NAMESPACES = builtIn('Namespace');

/** The field manager controllers write as, like kube-controller-manager's. */
export const CONTROLLER_MANAGER = 'kube-controller-manager';
