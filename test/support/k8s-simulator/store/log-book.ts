/**
 * Container logs, as the kubelet keeps them: the output of the running (or last) instance of each
 * container, and of the instance before it, which `/log?previous=true` returns after a restart.
 */

export interface ContainerLog {
  current: string;
  previous?: string;
}

export class LogBook {
  private readonly logs = new Map<string, ContainerLog>();

  /** A container instance started: the old output becomes `previous`. */
  start(podUid: string, container: string, output: string): void {
    const key = `${podUid}/${container}`;
    const existing = this.logs.get(key);
    this.logs.set(key, existing ? { current: output, previous: existing.current } : { current: output });
  }

  read(podUid: string, container: string): ContainerLog | undefined {
    return this.logs.get(`${podUid}/${container}`);
  }
}
