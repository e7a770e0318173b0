import { AwsServiceError, COMMON, type RequestContext } from './protocol.ts';

/**
 * The front-end checks AWS makes before a service sees a request, from the `Authorization` header
 * that SigV4 writes: `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request,
 * SignedHeaders=..., Signature=...`. Any key is accepted (the SDK signs with whatever credentials it
 * has); the signature is not recomputed. What is checked is what catches a client that is not
 * signing, or signing for the wrong service.
 */
const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function authenticate(header: string | undefined, service: string): RequestContext {
  if (!header?.startsWith('AWS4-')) {
    throw new AwsServiceError(
      `${COMMON}MissingAuthenticationTokenException`,
      'Missing Authentication Token',
      403,
    );
  }
  const credential = CREDENTIAL.exec(header);
  if (!credential || !header.includes('SignedHeaders=') || !header.includes('Signature=')) {
    throw new AwsServiceError(
      `${COMMON}IncompleteSignatureException`,
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header}`,
    );
  }
  const [, accessKeyId, , region, scopeService] = credential as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (scopeService !== service) {
    throw new AwsServiceError(
      `${COMMON}InvalidSignatureException`,
      `Credential should be scoped to correct service: '${service}'. `,
      403,
    );
  }
  return { accessKeyId, region };
}
