import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { startS3, type S3Server } from './s3.ts';

/** The launcher through the real SDK: s3rver's calls, and the two calls the launcher adds to it. */

let s3: S3Server;
let client: S3Client;
const BUCKET = 'launcher-test';

beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(BUCKET);
  client = new S3Client({
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
});
afterAll(async () => {
  client.destroy();
  await s3.close();
});

describe('s3 launcher', () => {
  it('stores a multipart upload from a stream whole', async () => {
    const parts = [Buffer.alloc(5 * 1024 * 1024, 1), Buffer.alloc(1234, 2)];
    await new Upload({
      client,
      params: { Bucket: BUCKET, Key: 'db/whole.dump', Body: Readable.from(parts) },
      partSize: 5 * 1024 * 1024,
    }).done();
    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'db/whole.dump' }));
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    expect(bytes.equals(Buffer.concat(parts))).toBe(true);
  });

  it('lists multipart uploads in progress and aborts one, as S3 does', async () => {
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'db/unfinished.dump' }),
    );
    await client.send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key: 'db/unfinished.dump',
        UploadId,
        PartNumber: 1,
        Body: 'x',
      }),
    );
    const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(listed.Uploads?.map((upload) => [upload.Key, upload.UploadId])).toEqual([
      ['db/unfinished.dump', UploadId],
    ]);
    expect(await s3.multipartUploads(BUCKET)).toEqual([{ key: 'db/unfinished.dump', uploadId: UploadId }]);

    await client.send(
      new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'db/unfinished.dump', UploadId }),
    );
    const after = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(after.Uploads ?? []).toEqual([]);
    await expect(
      client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'db/unfinished.dump', UploadId })),
    ).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });
});
