import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An S3-compatible server on loopback for tests, benchmarks and the demo (DESIGN.md, the S3 row):
 * s3rver from npm, reached through the real @aws-sdk/client-s3 with an endpoint override and
 * path-style addressing.
 *
 * s3rver answers two calls a backup tool needs with 501/405, so this launcher serves them itself
 * from s3rver's own store, in front of it on the same port:
 * - AbortMultipartUpload (`DELETE /bucket/key?uploadId=…`): removes the upload and its parts, 204,
 *   or 404 NoSuchUpload, as S3 does;
 * - ListMultipartUploads (`GET /bucket?uploads`): the uploads in progress, so a test can prove that
 *   none is left behind.
 * Those two skip s3rver's signature check; every other request goes to s3rver unchanged.
 */

export interface S3Server {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly region: string;
  /** s3rver's store on disk: `<directory>/<bucket>/<key>._S3rver_object` (a test can age an object). */
  readonly directory: string;
  /** The credentials s3rver accepts; set them as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The environment an action needs to reach this server through the SDK's default chain. */
  readonly env: Record<string, string>;
  createBucket(name: string): Promise<void>;
  /** Multipart uploads in progress in `bucket`, read from the store. */
  multipartUploads(bucket: string): Promise<{ key: string; uploadId: string }[]>;
  close(): Promise<void>;
}

interface S3rverStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
}

interface S3rverInstance {
  store: S3rverStore;
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
}

type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

const ACCESS_KEY = 'S3RVER';
const REGION = 'us-east-1';

export async function startS3(): Promise<S3Server> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const directory = await mkdtemp(join(tmpdir(), 'gantry-s3-'));
  const s3rver = new S3rver({ directory, silent: true, vhostBuckets: false, resetOnClose: false });
  const handle = s3rver.callback();
  const uploadsDir = (bucket: string): string => s3rver.store.getResourcePath(bucket, undefined, 'uploads');

  const listUploads = async (
    bucket: string,
  ): Promise<{ key: string; uploadId: string; initiated: Date }[]> => {
    const dir = uploadsDir(bucket);
    const ids = await readdir(dir).catch(() => [] as string[]);
    const uploads = await Promise.all(
      ids.map(async (uploadId) => ({
        uploadId,
        key: await readFile(join(dir, uploadId, 'key'), 'utf8').catch(() => ''),
        initiated: (await stat(join(dir, uploadId))).mtime,
      })),
    );
    return uploads.filter((upload) => upload.key !== '');
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://s3');
    const [, bucket = '', ...keyParts] = url.pathname.split('/');
    const key = decodeURIComponent(keyParts.join('/'));
    if (request.method === 'DELETE' && key !== '' && url.searchParams.has('uploadId')) {
      void abortUpload(response, uploadsDir(bucket), url.searchParams.get('uploadId') ?? '');
      request.resume();
      return;
    }
    if (request.method === 'GET' && key === '' && url.searchParams.has('uploads')) {
      void listUploads(bucket).then((uploads) => sendUploads(response, bucket, uploads));
      request.resume();
      return;
    }
    handle(request, response);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    region: REGION,
    directory,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: ACCESS_KEY,
    env: s3Environment(),
    createBucket: async (name) => {
      // Unsigned: s3rver checks the signatures it is given and lets an anonymous request through.
      const response = await fetch(`${endpoint}/${name}`, { method: 'PUT' });
      if (!response.ok)
        throw new Error(`creating bucket ${name} failed: ${response.status} ${await response.text()}`);
    },
    multipartUploads: async (bucket) =>
      (await listUploads(bucket)).map(({ key, uploadId }) => ({ key, uploadId })),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function abortUpload(response: ServerResponse, dir: string, uploadId: string): Promise<void> {
  const uploadDir = join(dir, uploadId);
  const exists = /^[0-9a-f]+$/.test(uploadId) && (await stat(uploadDir).catch(() => undefined)) !== undefined;
  if (!exists) {
    response.writeHead(404, { 'content-type': 'application/xml' });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.</Message><UploadId>${escapeXml(uploadId)}</UploadId></Error>`,
    );
    return;
  }
  await rm(uploadDir, { recursive: true, force: true });
  response.writeHead(204);
  response.end();
}

function sendUploads(
  response: ServerResponse,
  bucket: string,
  uploads: { key: string; uploadId: string; initiated: Date }[],
): void {
  const items = uploads
    .map(
      (upload) =>
        `<Upload><Key>${escapeXml(upload.key)}</Key><UploadId>${upload.uploadId}</UploadId>` +
        `<Initiated>${upload.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
    )
    .join('');
  response.writeHead(200, { 'content-type': 'application/xml' });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
      `<Bucket>${escapeXml(bucket)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>` +
      `<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${items}</ListMultipartUploadsResult>`,
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Where the jest global setup (s3-global.ts) publishes the endpoint of the suite's shared server. */
export const SHARED_S3_ENV = 'GANTRY_TEST_S3_ENDPOINT';

/** Where the global setup publishes the shared server's store directory. */
export const SHARED_S3_DIR_ENV = 'GANTRY_TEST_S3_DIR';

/**
 * Sets the stored object's modification time, which s3rver reports as LastModified: how a test
 * makes an object look a day old.
 */
export async function ageObject(bucket: string, key: string, modified: Date): Promise<void> {
  const directory = process.env[SHARED_S3_DIR_ENV];
  if (!directory)
    throw new Error(`${SHARED_S3_DIR_ENV} is not set: the jest global setup starts the shared S3 server`);
  const path = join(directory, bucket, `${key}._S3rver_object`);
  await utimes(path, modified, modified);
}

/** The shared server's endpoint, when the global setup started one. */
export function sharedS3Endpoint(): string {
  const endpoint = process.env[SHARED_S3_ENV];
  if (!endpoint)
    throw new Error(`${SHARED_S3_ENV} is not set: the jest global setup starts the shared S3 server`);
  return endpoint;
}

/** The environment an action needs to reach an s3rver through the SDK's default credential chain. */
export function s3Environment(): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: ACCESS_KEY,
    AWS_REGION: REGION,
    AWS_PROFILE: '',
    AWS_SESSION_TOKEN: '',
  };
}
