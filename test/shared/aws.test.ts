import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { awsActionError, awsClientConfig, awsErrorName } from '../../shared/src/aws.ts';
import { ActionError, ConfigurationError } from '../../shared/src/errors.ts';
import { setEnv } from './helpers.ts';

let restoreEnv: () => void;
beforeEach(() => {
  restoreEnv = setEnv({
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_MAX_ATTEMPTS: undefined,
  });
});
afterEach(() => restoreEnv());

function configurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('no ConfigurationError was thrown');
}

describe('awsClientConfig region', () => {
  it('takes the option first, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    process.env.AWS_REGION = 'eu-west-1';
    process.env.AWS_DEFAULT_REGION = 'us-east-2';
    expect(awsClientConfig({ region: 'ap-south-1' }).region).toBe('ap-south-1');
    expect(awsClientConfig({ region: '  ' }).region).toBe('eu-west-1');
    delete process.env.AWS_REGION;
    expect(awsClientConfig({}).region).toBe('us-east-2');
  });

  it.each([
    'us-east-1',
    'eu-central-2',
    'ap-southeast-5',
    'cn-north-1',
    'cn-northwest-1',
    'us-gov-west-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'eusc-de-east-1',
    'mx-central-1',
  ])('accepts the region %s', (region) => {
    expect(awsClientConfig({ region }).region).toBe(region);
  });

  it.each([
    'Europe (Ireland)',
    'EU-WEST-1',
    'eu-west',
    'euwest1',
    'us-east-1a',
    'eu west 1',
    'https://eu-west-1',
  ])('refuses %p, naming where it came from', (region) => {
    const error = configurationError(() => awsClientConfig({ region, input: 'region' }));
    expect(error.input).toBe('region');
    expect(error.message).toContain('the region input is');
    expect(error.message).toContain('not an AWS region');
  });

  it('names AWS_REGION when the bad value came from the environment', () => {
    process.env.AWS_REGION = 'ireland';
    expect(configurationError(() => awsClientConfig({})).message).toBe(
      'AWS_REGION is "ireland", which is not an AWS region (like us-east-1, eu-west-1, cn-north-1 or us-gov-west-1)',
    );
  });

  it('says how to set a region when there is none', () => {
    const error = configurationError(() => awsClientConfig({}));
    expect(error.input).toBe('aws-region');
    expect(error.message).toContain('No AWS region');
    expect(error.hint).toContain('aws-actions/configure-aws-credentials');
    expect(error.hint).toContain('AWS_REGION');
  });
});

describe('awsClientConfig endpoint', () => {
  it('leaves the endpoint out when none is given, so AWS_ENDPOINT_URL_<SERVICE> still applies', () => {
    const config = awsClientConfig({ region: 'eu-west-1', endpoint: '' });
    expect('endpoint' in config).toBe(false);
  });

  it.each(['http://127.0.0.1:4566', 'https://ecr.internal.example.com/'])('accepts %s', (endpoint) => {
    expect(awsClientConfig({ region: 'eu-west-1', endpoint }).endpoint).toBe(endpoint);
  });

  it.each(['127.0.0.1:4566', 'ftp://example.com', 'localstack', 'http://'])('refuses %p', (endpoint) => {
    const error = configurationError(() => awsClientConfig({ region: 'eu-west-1', endpoint }));
    expect(error.input).toBe('aws-endpoint-url');
    expect(error.message).toContain('not an http:// or https:// URL');
  });

  it('refuses credentials in the endpoint URL', () => {
    const error = configurationError(() =>
      awsClientConfig({
        region: 'eu-west-1',
        endpoint: 'http://key:secret@127.0.0.1:4566',
        endpointInput: 'endpoint',
      }),
    );
    expect(error.message).toBe('endpoint must not contain credentials');
    expect(error.message).not.toContain('secret');
  });
});

describe('awsClientConfig retries and timeouts', () => {
  it('uses standard mode with 5 attempts and a request timeout that fails the attempt', () => {
    expect(awsClientConfig({ region: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
      maxAttempts: 5,
      retryMode: 'standard',
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
    });
  });

  it('takes attempts from the option, then AWS_MAX_ATTEMPTS', () => {
    process.env.AWS_MAX_ATTEMPTS = '8';
    expect(awsClientConfig({ region: 'eu-west-1' }).maxAttempts).toBe(8);
    expect(awsClientConfig({ region: 'eu-west-1', maxAttempts: 1 }).maxAttempts).toBe(1);
  });

  it.each([
    [{ maxAttempts: 0 }, undefined, 'maxAttempts is 0'],
    [{ maxAttempts: 2.5 }, undefined, 'maxAttempts is 2.5'],
    [{}, 'lots', 'AWS_MAX_ATTEMPTS is "lots"'],
    [{}, '100', 'AWS_MAX_ATTEMPTS is "100"'],
  ])('refuses %p with AWS_MAX_ATTEMPTS=%p', (options, env, message) => {
    if (env !== undefined) process.env.AWS_MAX_ATTEMPTS = env;
    expect(configurationError(() => awsClientConfig({ region: 'eu-west-1', ...options })).message).toContain(
      message,
    );
  });
});

/** An error shaped as the SDK v3 throws them. */
function sdkError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, { $metadata: { httpStatusCode: 400 }, $fault: 'client' });
}

describe('awsActionError', () => {
  it('makes a one-line message naming the operation and the error', () => {
    const cause = sdkError(
      'RepositoryNotFoundException',
      "The repository with name 'app' does not exist\n in the registry",
    );
    const error = awsActionError('DescribeRepositories', cause);
    expect(error).toBeInstanceOf(ActionError);
    expect(error.message).toBe(
      "DescribeRepositories failed: RepositoryNotFoundException: The repository with name 'app' does not exist in the registry",
    );
    expect(error.hint).toBeUndefined();
    expect(error.cause).toBe(cause);
  });

  it.each([
    'UnrecognizedClientException',
    'ExpiredTokenException',
    'CredentialsProviderError',
    'InvalidSignatureException',
  ])('tells how to configure credentials for %s', (name) => {
    const error = awsActionError(
      'GetAuthorizationToken',
      sdkError(name, 'The security token included in the request is invalid.'),
    );
    expect(error.hint).toContain('configure credentials with aws-actions/configure-aws-credentials');
  });

  it('says which permission is missing for AccessDeniedException', () => {
    const error = awsActionError(
      'GetAuthorizationToken',
      sdkError('AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/ci is not authorized'),
    );
    expect(error.message).toBe(
      'GetAuthorizationToken failed: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ci is not authorized',
    );
    expect(error.hint).toContain('not allowed to call GetAuthorizationToken');
    expect(error.hint).toContain('configure credentials with aws-actions/configure-aws-credentials');
  });

  it('passes an ActionError through and names anything else plainly', () => {
    const already = new ActionError('already explained');
    expect(awsActionError('PutImage', already)).toBe(already);
    expect(awsActionError('PutImage', 'socket closed').message).toBe('PutImage failed: Error: socket closed');
  });

  it('reads the error name of SDK errors only', () => {
    expect(awsErrorName(sdkError('ThrottlingException', 'slow down'))).toBe('ThrottlingException');
    expect(awsErrorName('ThrottlingException')).toBeUndefined();
  });
});
