import { ConfigurationError } from '../../../shared/src/errors.ts';
import { awsClientConfig, type AwsClientConfig } from '../../../shared/src/aws.ts';
import { getOptionalString, getString, invalidInput } from '../../../shared/src/runner/inputs.ts';

/** Where backups live: the bucket, the key prefix, and how objects are written there. */

export interface StoreInputs {
  bucket: string;
  /** Without leading or trailing slashes; may be empty. */
  prefix: string;
  /** Region, endpoint override, retries and timeouts for the S3 client (see shared/src/aws.ts). */
  client: AwsClientConfig;
  storageClass: string | undefined;
  sse: 'AES256' | 'aws:kms' | undefined;
  sseKmsKeyId: string | undefined;
}

const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
  'EXPRESS_ONEZONE',
] as const;

/** S3's bucket naming rules (3-63 lower-case letters, digits, dots and hyphens; no IP address). */
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function readStoreInputs(): StoreInputs {
  const bucket = getString('bucket', { required: true });
  if (!BUCKET_PATTERN.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    throw invalidInput(
      'bucket',
      bucket,
      'expected an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens (no s3:// and no path: the path goes in prefix)',
    );
  }
  const rawPrefix = getString('prefix', { default: 'backups' });
  const prefix = rawPrefix.replace(/^\/+|\/+$/g, '');
  if (
    /\/\/|\\/.test(prefix) ||
    [...prefix].some((char) => char.charCodeAt(0) < 0x20) ||
    prefix.split('/').some((part) => part === '.' || part === '..')
  ) {
    throw invalidInput(
      'prefix',
      rawPrefix,
      'expected a key prefix like backups or team/db-backups, without empty, . or .. parts',
    );
  }
  const sse = getOptionalString('sse');
  if (sse !== undefined && sse !== 'AES256' && sse !== 'aws:kms') {
    throw invalidInput('sse', sse, 'expected AES256 (S3-managed keys) or aws:kms');
  }
  const sseKmsKeyId = getOptionalString('sse-kms-key-id');
  if (sseKmsKeyId !== undefined && sse !== 'aws:kms') {
    throw new ConfigurationError('Input "sse-kms-key-id" is given but sse is not aws:kms.', {
      input: 'sse-kms-key-id',
      hint: 'set sse: aws:kms to encrypt with that KMS key',
    });
  }
  const storageClass = getOptionalString('storage-class');
  if (storageClass !== undefined && !(STORAGE_CLASSES as readonly string[]).includes(storageClass)) {
    throw invalidInput('storage-class', storageClass, `expected one of ${STORAGE_CLASSES.join(', ')}`);
  }
  return {
    bucket,
    prefix,
    client: awsClientConfig({
      region: getOptionalString('aws-region'),
      endpoint: getOptionalString('s3-endpoint'),
      endpointInput: 's3-endpoint',
      // One attempt of one part (5 MiB up to 64 MiB below 320 GB databases) at 0.5 MiB/s or more.
      // It also bounds how long a failed backup waits for a part in flight before aborting.
      requestTimeoutMs: 2 * 60_000,
    }),
    storageClass,
    sse,
    sseKmsKeyId,
  };
}
