import { ActionError, ConfigurationError } from './errors.ts';

/**
 * Configuration for every AWS SDK v3 client an action creates. Credentials are deliberately absent:
 * the SDK's default provider chain then finds what aws-actions/configure-aws-credentials exported
 * (keys, or a web identity token for OIDC), so no action ever handles long-lived keys itself.
 *
 * When no endpoint is given the key is left out altogether, so the SDK's own endpoint settings
 * (`AWS_ENDPOINT_URL_<SERVICE>`, e.g. `AWS_ENDPOINT_URL_ECR`, then `AWS_ENDPOINT_URL`, then
 * `endpoint_url` in the shared config file) still apply, as they do for the AWS CLI.
 */

export interface AwsClientOptions {
  region?: string;
  endpoint?: string;
  maxAttempts?: number;
  /** How long one attempt (request and response) may take before it fails and is retried. Default: 30s. */
  requestTimeoutMs?: number;
  /** The action input the region comes from, named in errors. Default: `aws-region`. */
  input?: string;
  /** The action input the endpoint comes from, named in errors. Default: `aws-endpoint-url`. */
  endpointInput?: string;
}

export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  maxAttempts: number;
  retryMode: 'standard';
  /**
   * The SDK waits forever by default, and only logs a warning when `requestTimeout` passes unless
   * `throwOnRequestTimeout` is set: a hung call would otherwise hold the job until its own timeout.
   * A timed-out attempt is a TimeoutError, which standard mode retries.
   */
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
}

/**
 * Regions in every partition: us-east-1, eu-central-2, ap-southeast-5, cn-northwest-1, us-gov-west-1,
 * us-iso-east-1, us-isob-east-1, eu-isoe-west-1, us-isof-south-1, eusc-de-east-1.
 */
const REGION_PATTERN = /^[a-z]{2,4}(?:-(?:gov|iso[a-z]?|[a-z]{2}))?-[a-z]+-\d{1,2}$/;

/**
 * More than the SDK's 3: jobs of one organisation share an account's API rate limits (ECR allows
 * GetAuthorizationToken 20 per second), and a throttled call in a pipeline is worth a few seconds of
 * standard-mode backoff rather than a failed deployment.
 */
const DEFAULT_MAX_ATTEMPTS = 5;
const CONNECTION_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS_LIMIT = 20;

export function awsClientConfig(options: AwsClientOptions = {}): AwsClientConfig {
  const input = options.input ?? 'aws-region';
  const config: AwsClientConfig = {
    region: resolveRegion(options.region, input),
    maxAttempts: resolveMaxAttempts(options.maxAttempts),
    // Adaptive mode adds a client-side rate limiter that only pays off for long-lived, busy
    // clients; a step makes a handful of calls.
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  };
  const endpoint = options.endpoint?.trim();
  if (endpoint) config.endpoint = validateEndpoint(endpoint, options.endpointInput ?? 'aws-endpoint-url');
  return config;
}

function resolveRegion(fromOption: string | undefined, input: string): string {
  const candidates: [string | undefined, string][] = [
    [fromOption, `the ${input} input`],
    [process.env.AWS_REGION, 'AWS_REGION'],
    [process.env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION'],
  ];
  for (const [raw, source] of candidates) {
    const region = raw?.trim();
    if (!region) continue;
    if (!REGION_PATTERN.test(region)) {
      throw new ConfigurationError(
        `${source} is "${region}", which is not an AWS region (like us-east-1, eu-west-1, cn-north-1 or us-gov-west-1)`,
        { input, hint: 'use the region code, not the region name: eu-west-1, not "Europe (Ireland)"' },
      );
    }
    return region;
  }
  throw new ConfigurationError(
    `No AWS region: the ${input} input is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set`,
    {
      input,
      hint: `set ${input}, or run aws-actions/configure-aws-credentials with aws-region before this step (it sets AWS_REGION)`,
    },
  );
}

function resolveMaxAttempts(fromOption: number | undefined): number {
  if (fromOption !== undefined) return checkAttempts(fromOption, String(fromOption), 'maxAttempts');
  // AWS_MAX_ATTEMPTS is the SDKs' own setting: passing maxAttempts would otherwise silence it.
  const fromEnv = process.env.AWS_MAX_ATTEMPTS?.trim();
  if (fromEnv) return checkAttempts(Number(fromEnv), `"${fromEnv}"`, 'AWS_MAX_ATTEMPTS');
  return DEFAULT_MAX_ATTEMPTS;
}

function checkAttempts(value: number, shown: string, source: string): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_ATTEMPTS_LIMIT) {
    throw new ConfigurationError(
      `${source} is ${shown}, which is not a whole number of attempts from 1 to ${MAX_ATTEMPTS_LIMIT}`,
    );
  }
  return value;
}

function validateEndpoint(endpoint: string, input: string): string {
  const url = URL.parse(endpoint);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new ConfigurationError(`${input} is "${endpoint}", which is not an http:// or https:// URL`, {
      input,
      hint: 'give the service endpoint of an emulator or LocalStack, like http://127.0.0.1:4566',
    });
  }
  if (url.username || url.password) {
    throw new ConfigurationError(`${input} must not contain credentials`, {
      input,
      hint: 'AWS credentials come from the environment: use aws-actions/configure-aws-credentials',
    });
  }
  return endpoint;
}

/** What an SDK v3 error carries; read by shape, so this file does not load any SDK package. */
interface SdkError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
}

function isSdkError(error: unknown): error is SdkError {
  return error instanceof Error && typeof (error as { name?: unknown }).name === 'string';
}

/** The error's code (`RepositoryNotFoundException`, `ThrottlingException`), or undefined for non-errors. */
export function awsErrorName(error: unknown): string | undefined {
  return isSdkError(error) ? error.name : undefined;
}

/** The credentials are missing, invalid or expired: the fix is configuring them. */
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredToken',
  'ExpiredTokenException',
]);

/** The credentials work but lack a permission: the fix is the role's policy. */
const PERMISSION_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

const CONFIGURE_CREDENTIALS = 'configure credentials with aws-actions/configure-aws-credentials';

/**
 * Turns an SDK error into the one-line `ActionError` runAction reports:
 * `GetAuthorizationToken failed: AccessDeniedException: User: ... is not authorized ...`,
 * with a hint when the cause is the credentials. An ActionError passes through unchanged.
 */
export function awsActionError(operation: string, error: unknown): ActionError {
  if (error instanceof ActionError) return error;
  const name = awsErrorName(error) ?? 'Error';
  const detail = oneLine(error instanceof Error ? error.message : String(error)) || 'no message';
  const message = `${operation} failed: ${name}: ${detail}`;
  if (CREDENTIAL_ERRORS.has(name)) {
    return new ActionError(message, {
      cause: error,
      hint: `the AWS credentials are missing, invalid or expired: ${CONFIGURE_CREDENTIALS} before this step (with \`permissions: id-token: write\` for OIDC)`,
    });
  }
  if (PERMISSION_ERRORS.has(name)) {
    return new ActionError(message, {
      cause: error,
      hint: `the AWS identity is not allowed to call ${operation}: allow it in the role's IAM policy, or ${CONFIGURE_CREDENTIALS} for a role that is`,
    });
  }
  return new ActionError(message, { cause: error });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
