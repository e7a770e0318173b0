import { sleep } from '../../async/sleep.ts';
import { classifyKubernetesFailure, KubernetesApiError } from '../client/api-error.ts';
import type { KubernetesClient, WatchEvent } from '../client/client.ts';
import type { KubeObject } from '../object.ts';

/**
 * A list, then a watch from the list's resourceVersion, kept going until the caller aborts: the
 * client-go informer pattern in miniature. A watch the server ends is resumed where it stopped; a
 * dropped connection is resumed after a short backoff; 410 Gone (the resourceVersion is too old to
 * resume from) starts over with a fresh list, so no change is ever missed.
 */
export interface InformerOptions {
  /** The collection: `/apis/apps/v1/namespaces/shop/deployments`. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  signal: AbortSignal;
  /** Called after the list and after every change. */
  onChange: () => void;
  /** How long the server keeps one watch open before the informer opens the next. */
  watchTimeoutSeconds?: number;
  /** Sleep between reconnections; tests make it instant. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface InformerStats {
  lists: number;
  watches: number;
  /** Fresh lists after 410 Gone. */
  relists: number;
  /** Watches resumed after a dropped connection or a server error. */
  reconnects: number;
}

const MAX_BACKOFF_MS = 5000;

export class Informer {
  readonly objects = new Map<string, KubeObject>();
  readonly stats: InformerStats = { lists: 0, watches: 0, relists: 0, reconnects: 0 };
  /** True once the first list has arrived. */
  synced = false;
  private readonly client: KubernetesClient;
  private readonly options: InformerOptions;

  constructor(client: KubernetesClient, options: InformerOptions) {
    this.client = client;
    this.options = options;
  }

  /** Runs until the signal aborts (then resolves) or the API refuses for good (then rejects). */
  async run(): Promise<void> {
    const { signal } = this.options;
    const pause = this.options.sleep ?? sleep;
    let resourceVersion: string | undefined;
    let failures = 0;
    while (!signal.aborted) {
      try {
        resourceVersion ??= await this.list();
        // The server ended the watch (its timeoutSeconds): resume from the last version seen.
        await this.watch(resourceVersion, (version) => {
          resourceVersion = version;
          failures = 0;
        });
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof KubernetesApiError && error.status === 410) {
          this.stats.relists++;
          resourceVersion = undefined;
          continue;
        }
        if (!classifyKubernetesFailure(error).transient) throw error;
        this.stats.reconnects++;
        failures++;
        await pause(Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(failures, 6)), signal).catch(
          () => undefined,
        );
      }
    }
  }

  private async list(): Promise<string> {
    this.stats.lists++;
    // A failed list goes back to run(), whose backoff lasts as long as the caller's signal: the
    // client's own few attempts would give up within seconds of a control-plane restart.
    const list = await this.client.requestJson<{
      items?: KubeObject[];
      metadata?: { resourceVersion?: string };
    }>({ path: this.options.path, query: this.selectors(), signal: this.options.signal, retry: false });
    this.objects.clear();
    for (const item of list.items ?? []) this.objects.set(keyOf(item), item);
    this.synced = true;
    this.options.onChange();
    return list.metadata?.resourceVersion ?? '';
  }

  private async watch(from: string, onVersion: (version: string) => void): Promise<void> {
    this.stats.watches++;
    await this.client.watch(this.options.path, {
      signal: this.options.signal,
      query: {
        ...this.selectors(),
        resourceVersion: from,
        allowWatchBookmarks: true,
        timeoutSeconds: this.options.watchTimeoutSeconds ?? 60,
      },
      onEvent: (event) => {
        const version = this.apply(event);
        if (version) onVersion(version);
      },
    });
  }

  private apply(event: WatchEvent): string | undefined {
    if (event.type === 'ERROR') {
      const status = event.object as { code?: number; message?: string };
      throw new KubernetesApiError(`watch ${this.options.path}`, {
        status: status.code ?? 500,
        body: JSON.stringify(event.object),
      });
    }
    const version = event.object.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') return version;
    if (event.type === 'DELETED') this.objects.delete(keyOf(event.object));
    else this.objects.set(keyOf(event.object), event.object);
    this.options.onChange();
    return version;
  }

  private selectors(): Record<string, string | undefined> {
    return { labelSelector: this.options.labelSelector, fieldSelector: this.options.fieldSelector };
  }
}

export function keyOf(object: KubeObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}
