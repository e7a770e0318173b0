import type { ServerResponse } from 'node:http';
import type { JsonObject } from '../store/json.ts';
import type { Change, ObjectStore } from '../store/store.ts';
import type { ResourcePath } from './paths.ts';
import { presentAs } from './presentation.ts';
import { apiVersionOf } from './resources.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { statusBody } from './status.ts';

/**
 * Watch streams: a 200 response whose chunked body is one JSON event per line, `{"type":
 * "ADDED"|"MODIFIED"|"DELETED"|"BOOKMARK"|"ERROR","object":...}`. A watch starts from a
 * resourceVersion (replaying the history after it), or from "now" with the current objects as
 * ADDED events; one from a compacted revision gets a single ERROR event with a 410 `Expired`
 * Status and ends, as the watch cache answers. Selectors are applied to both sides of a change,
 * so an object that stops matching is reported DELETED.
 */

export interface WatchOptions {
  /** How often BOOKMARK events are sent to watches that asked for them. */
  bookmarkIntervalMs: number;
}

interface OpenWatch {
  response: ServerResponse;
  stop(): void;
}

export class WatchHub {
  private readonly open = new Set<OpenWatch>();
  private readonly store: ObjectStore;
  private readonly options: WatchOptions;

  constructor(store: ObjectStore, options: WatchOptions) {
    this.store = store;
    this.options = options;
  }

  get count(): number {
    return this.open.size;
  }

  serve(path: ResourcePath, query: URLSearchParams, response: ServerResponse): void {
    const { type } = path;
    const matchesLabels = parseLabelSelector(query.get('labelSelector') ?? undefined);
    const fieldSelector = [query.get('fieldSelector'), path.name ? `metadata.name=${path.name}` : null]
      .filter((part) => part)
      .join(',');
    const matchesFields = parseFieldSelector(type.kind, fieldSelector);
    const inScope = (object: JsonObject | undefined): boolean => {
      if (!object) return false;
      const metadata = object.metadata as JsonObject;
      if (path.namespace !== undefined && metadata.namespace !== path.namespace) return false;
      const labels = (metadata.labels ?? {}) as JsonObject;
      return matchesLabels(labels) && matchesFields(object);
    };

    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
    // The client waits for the headers before it reads events; a quiet watch must still send them.
    response.flushHeaders();
    const send = (eventType: string, object: JsonObject): void => {
      if (!response.writableEnded && !response.destroyed)
        response.write(`${JSON.stringify({ type: eventType, object })}\n`);
    };

    const requested = query.get('resourceVersion') ?? '';
    const fromNow = requested === '' || requested === '0' || query.get('sendInitialEvents') === 'true';
    const since = fromNow ? this.store.revision : Number(requested);
    const replay = Number.isInteger(since) ? this.store.changesSince(since) : undefined;
    if (!replay) {
      send(
        'ERROR',
        statusBody(
          410,
          'Expired',
          `too old resource version: ${requested} (${this.store.oldestAvailable + 1})`,
        ),
      );
      response.end();
      return;
    }

    const deliver = (change: Change): void => {
      if (change.group !== type.group || change.resource !== type.resource) return;
      const now = change.type !== 'DELETED' && inScope(change.object);
      const before = change.type !== 'ADDED' && inScope(change.previous);
      const object = presentAs(type, change.object);
      if (change.type === 'DELETED') {
        if (before) send('DELETED', object);
      } else if (now && before) send('MODIFIED', object);
      else if (now) send('ADDED', object);
      else if (before) send('DELETED', object);
    };

    if (fromNow) {
      for (const object of this.store.list(type, path.namespace))
        if (inScope(object)) send('ADDED', presentAs(type, object));
    }
    for (const change of replay) deliver(change);
    const bookmark = (annotations?: JsonObject): void =>
      send('BOOKMARK', {
        kind: type.kind,
        apiVersion: apiVersionOf(type),
        metadata: { resourceVersion: String(this.store.revision), ...(annotations ? { annotations } : {}) },
      });
    const bookmarks = query.get('allowWatchBookmarks') === 'true';
    if (bookmarks && query.get('sendInitialEvents') === 'true')
      bookmark({ 'k8s.io/initial-events-end': 'true' });

    const unsubscribe = this.store.subscribe(deliver);
    const timers: NodeJS.Timeout[] = [];
    if (bookmarks) timers.push(setInterval(() => bookmark(), this.options.bookmarkIntervalMs));
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '');
    if (timeoutSeconds > 0) {
      timers.push(
        setTimeout(() => {
          watch.stop();
          response.end();
        }, timeoutSeconds * 1000),
      );
    }

    const watch: OpenWatch = {
      response,
      stop: () => {
        unsubscribe();
        for (const timer of timers) clearTimeout(timer);
        this.open.delete(watch);
      },
    };
    this.open.add(watch);
    // Fires when the client goes away as well as when the stream ends.
    response.on('close', watch.stop);
  }

  /** Ends every watch connection abruptly, as a restarting API server or a load balancer does. */
  dropAll(): void {
    for (const watch of [...this.open]) {
      watch.stop();
      watch.response.socket?.destroy();
    }
  }

  /** Ends every watch cleanly (the stream closes after its last event). */
  endAll(): void {
    for (const watch of [...this.open]) {
      watch.stop();
      watch.response.end();
    }
  }
}
