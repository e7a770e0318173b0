import type { ServerResponse } from 'node:http';
import type { JsonValue } from '../store/json.ts';

/** A request as the REST layer sees it, once the server has read it and checked its credentials. */
export interface ApiRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  contentType: string | undefined;
  userAgent: string | undefined;
  body: string;
  /** `host:port` the client connected to, for discovery's serverAddressByClientCIDRs. */
  host: string;
}

export type ApiResponse =
  | {
      status: number;
      body: JsonValue;
      contentType?: string;
      /** `Warning` headers (deprecated API, ignored field): one `299 - "text"` header each. */
      warnings?: string[];
    }
  /** A long-lived response (a watch) that writes to the socket itself. */
  | { stream: (response: ServerResponse) => void };

export function json(status: number, body: JsonValue): ApiResponse {
  return { status, body };
}
