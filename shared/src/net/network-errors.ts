/**
 * Naming network failures from Node's and undici's error codes, for every client Gantry uses (its
 * own HTTP helper, the Kubernetes client), so that "connection refused" or "TLS verification failed"
 * reads the same everywhere.
 */

/**
 * The code naming a network failure, from the error or its causes (undici wraps socket errors).
 * Read by shape, not `instanceof Error`: socket and TLS errors come from Node's own realm, which is
 * not the caller's under jest's VM modules.
 */
export function networkErrorCode(error: unknown): string {
  for (let current = error; isObject(current); current = current.cause) {
    const code = current.code;
    if (typeof code === 'string' && code !== 'UND_ERR_CONNECT') return code;
  }
  return '';
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** Certificate and handshake failures: never transient, and never to be retried past. */
export function isTlsErrorCode(code: string): boolean {
  return TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL');
}

function isObject(value: unknown): value is { code?: unknown; cause?: unknown } {
  return typeof value === 'object' && value !== null;
}
