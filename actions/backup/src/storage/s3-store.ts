import type { Readable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import { awsActionError } from '../../../../shared/src/aws.ts';
import type { StoreInputs } from '../store-inputs.ts';

/**
 * The bucket, through @aws-sdk/client-s3 (loaded on first use). Credentials come from the SDK's
 * default chain. With s3-endpoint (MinIO, Ceph, R2, …) addressing is path-style, and checksums are
 * computed and validated only where S3 requires them: the SDK's default since 2025 (CRC32 on every
 * upload, aws-chunked bodies) is more than many S3-compatible stores accept.
 */

export interface StoredObject {
  key: string;
  size: number;
  lastModified: Date;
}

export interface UploadOptions {
  key: string;
  body: Readable;
  partSizeBytes: number;
  contentType: string;
}

export class BackupStore {
  readonly bucket: string;
  private readonly inputs: StoreInputs;
  private readonly client: S3.S3Client;
  private readonly sdk: typeof S3;

  private constructor(inputs: StoreInputs, sdk: typeof S3) {
    this.inputs = inputs;
    this.bucket = inputs.bucket;
    this.sdk = sdk;
    const custom = inputs.client.endpoint !== undefined;
    this.client = new sdk.S3Client({
      ...inputs.client,
      forcePathStyle: custom,
      ...(custom
        ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
        : {}),
    });
  }

  static async open(inputs: StoreInputs): Promise<BackupStore> {
    return new BackupStore(inputs, await import('@aws-sdk/client-s3'));
  }

  where(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async list(prefix: string, signal?: AbortSignal): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(`ListObjectsV2 of ${this.where(prefix)}`, () =>
        this.client.send(
          new this.sdk.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            ContinuationToken: token,
          }),
          { abortSignal: signal },
        ),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key)
          objects.push({
            key: item.Key,
            size: item.Size ?? 0,
            lastModified: item.LastModified ?? new Date(0),
          });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  async getText(key: string, signal?: AbortSignal): Promise<string> {
    const object = await this.call(`GetObject ${this.where(key)}`, () =>
      this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }), {
        abortSignal: signal,
      }),
    );
    return (await object.Body?.transformToString('utf8')) ?? '';
  }

  async getStream(key: string, signal?: AbortSignal): Promise<{ body: Readable; size: number }> {
    const object = await this.call(`GetObject ${this.where(key)}`, () =>
      this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }), {
        abortSignal: signal,
      }),
    );
    return { body: object.Body as Readable, size: object.ContentLength ?? 0 };
  }

  async putJson(key: string, text: string, signal?: AbortSignal): Promise<void> {
    await this.call(`PutObject ${this.where(key)}`, () =>
      this.client.send(
        new this.sdk.PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: text,
          ContentType: 'application/json',
          ...this.encryptionParams(),
        }),
        { abortSignal: signal },
      ),
    );
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    await this.call(`DeleteObject ${this.where(key)}`, () =>
      this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key }), {
        abortSignal: signal,
      }),
    );
  }

  /**
   * A multipart upload of a stream of unknown length. lib-storage aborts the multipart upload when a
   * part fails for good or the body stream errors; the caller makes the body error for every other
   * failure (a program's exit code, a deadline), so no part is ever left behind.
   */
  async upload(options: UploadOptions): Promise<void> {
    const { Upload } = await import('@aws-sdk/lib-storage');
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: options.key,
        Body: options.body,
        ContentType: options.contentType,
        ...(this.inputs.storageClass ? { StorageClass: this.inputs.storageClass as never } : {}),
        ...this.encryptionParams(),
      },
      partSize: options.partSizeBytes,
      // Parts are buffered in memory: four of up to 16 MiB, two of anything larger.
      queueSize: options.partSizeBytes > 16 * 1024 * 1024 ? 2 : 4,
      leavePartsOnError: false,
    });
    await this.call(`Uploading ${this.where(options.key)}`, () => upload.done());
  }

  close(): void {
    this.client.destroy();
  }

  private encryptionParams(): Record<string, string> {
    if (!this.inputs.sse) return {};
    return {
      ServerSideEncryption: this.inputs.sse,
      ...(this.inputs.sseKmsKeyId ? { SSEKMSKeyId: this.inputs.sseKmsKeyId } : {}),
    };
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw awsActionError(operation, error);
    }
  }
}
