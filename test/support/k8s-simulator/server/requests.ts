/** Every request the simulator received, for tests that count calls or assert that none was made. */
export interface RecordedRequest {
  method: string;
  /** The path without the query (`/apis/apps/v1/namespaces/default/deployments/web`). */
  path: string;
  /** Query parameters; a repeated parameter keeps its last value. */
  query: Record<string, string>;
  /** The Content-Type header, when the request had one. */
  contentType: string | undefined;
  body: string;
  /** The status answered (200 for a watch stream), set once the answer was sent. */
  status: number | undefined;
  /** Whether it carried the simulator's bearer token. */
  authenticated: boolean;
}
