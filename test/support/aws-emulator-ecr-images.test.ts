import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BatchGetImageCommand, DescribeImagesCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { DOCKER_MANIFEST, imageIndex, imageManifest, OCI_INDEX, sha256 } from './aws-emulator/fixtures.ts';
import { ACCOUNT, emulator, client, start, stop, failure } from './aws-emulator-ecr-client.ts';

/** ECR images through the real SDK client: PutImage, BatchGetImage, DescribeImages, tag mutability. */

afterEach(stop);

describe('images', () => {
  const v1 = imageManifest('config v1');
  const v2 = imageManifest('config v2');
  beforeEach(async () => {
    await start();
    emulator.ecr.addRepository('app');
    emulator.ecr.registerImage('app', { manifest: v1, tags: ['v1', 'latest'] });
  });

  it('describes images, filtered by id or tag status', async () => {
    emulator.ecr.registerImage('app', { manifest: v2 });
    const { imageDetails } = await client.send(
      new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }),
    );
    expect(imageDetails).toEqual([
      {
        registryId: ACCOUNT,
        repositoryName: 'app',
        imageDigest: sha256(v1),
        imageTags: ['v1', 'latest'],
        imageSizeInBytes: 1024,
        imagePushedAt: expect.any(Date),
        imageManifestMediaType: DOCKER_MANIFEST,
        artifactMediaType: 'application/vnd.docker.container.image.v1+json',
      },
    ]);
    const untagged = await client.send(
      new DescribeImagesCommand({ repositoryName: 'app', filter: { tagStatus: 'UNTAGGED' } }),
    );
    expect(untagged.imageDetails!.map((image) => image.imageDigest)).toEqual([sha256(v2)]);
  });

  it('fails DescribeImages with ImageNotFoundException for a missing id', async () => {
    const error = await failure(
      client.send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v9' }] })),
    );
    expect(error.name).toBe('ImageNotFoundException');
    expect(error.message).toBe(
      `The image with imageId {imageDigest:'null', imageTag:'v9'} does not exist within the repository with name 'app' in the registry with id '${ACCOUNT}'`,
    );
  });

  it('gets manifests by tag or digest, and reports missing ones as failures', async () => {
    emulator.ecr.registerImage('app', { manifest: v2, tags: ['v2'] });
    const output = await client.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'latest' }, { imageTag: 'v9' }, { imageDigest: sha256(v1), imageTag: 'v2' }],
      }),
    );
    expect(output.images).toEqual([
      {
        registryId: ACCOUNT,
        repositoryName: 'app',
        imageId: { imageDigest: sha256(v1), imageTag: 'latest' },
        imageManifest: v1,
        imageManifestMediaType: DOCKER_MANIFEST,
      },
    ]);
    expect(output.failures).toEqual([
      {
        imageId: { imageTag: 'v9' },
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found',
      },
      {
        imageId: { imageDigest: sha256(v1), imageTag: 'v2' },
        failureCode: 'ImageTagDoesNotMatchDigest',
        failureReason: 'Invalid image digest and image tag combination',
      },
    ]);
  });

  it('treats a manifest of a type the client does not accept as not found', async () => {
    emulator.ecr.registerImage('app', { manifest: imageIndex([v1, v2]), tags: ['multi'] });
    const refused = await client.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'multi' }],
        acceptedMediaTypes: [DOCKER_MANIFEST],
      }),
    );
    expect(refused.failures![0]!.failureCode).toBe('ImageNotFound');
    const accepted = await client.send(
      new BatchGetImageCommand({
        repositoryName: 'app',
        imageIds: [{ imageTag: 'multi' }],
        acceptedMediaTypes: [OCI_INDEX],
      }),
    );
    expect(accepted.images![0]!.imageManifestMediaType).toBe(OCI_INDEX);
  });

  it('puts an image and moves a tag in a mutable repository', async () => {
    const { image } = await client.send(
      new PutImageCommand({ repositoryName: 'app', imageManifest: v2, imageTag: 'latest' }),
    );
    expect(image).toEqual({
      registryId: ACCOUNT,
      repositoryName: 'app',
      imageId: { imageDigest: sha256(v2), imageTag: 'latest' },
      imageManifest: v2,
      imageManifestMediaType: DOCKER_MANIFEST,
    });
    expect(emulator.ecr.imageByTag('app', 'latest')!.digest).toBe(sha256(v2));
    expect(emulator.ecr.imageByTag('app', 'v1')!.digest).toBe(sha256(v1));
  });

  it('refuses to move a tag of an immutable repository with ImageTagAlreadyExistsException', async () => {
    emulator.ecr.repository('app')!.tagMutability = 'IMMUTABLE';
    const error = await failure(
      client.send(new PutImageCommand({ repositoryName: 'app', imageManifest: v2, imageTag: 'v1' })),
    );
    expect(error.name).toBe('ImageTagAlreadyExistsException');
    expect(error.message).toBe(
      "The image tag 'v1' already exists in the 'app' repository and cannot be overwritten because the tag is immutable.",
    );
    expect(emulator.ecr.imageByTag('app', 'v1')!.digest).toBe(sha256(v1));
  });

  it('lets tags matching an exclusion filter move in an IMMUTABLE_WITH_EXCLUSION repository', async () => {
    Object.assign(emulator.ecr.repository('app')!, {
      tagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      mutabilityExclusions: ['lat*'],
    });
    await client.send(new PutImageCommand({ repositoryName: 'app', imageManifest: v2, imageTag: 'latest' }));
    expect(emulator.ecr.imageByTag('app', 'latest')!.digest).toBe(sha256(v2));
    const error = await failure(
      client.send(new PutImageCommand({ repositoryName: 'app', imageManifest: v2, imageTag: 'v1' })),
    );
    expect(error.name).toBe('ImageTagAlreadyExistsException');
  });

  it('answers a repeated push of the same image and tag with ImageAlreadyExistsException', async () => {
    const error = await failure(
      client.send(new PutImageCommand({ repositoryName: 'app', imageManifest: v1, imageTag: 'v1' })),
    );
    expect(error.name).toBe('ImageAlreadyExistsException');
  });

  it('refuses a manifest without a media type, as ECR does', async () => {
    const bare = JSON.stringify({ schemaVersion: 2, config: {}, layers: [] });
    const error = await failure(
      client.send(new PutImageCommand({ repositoryName: 'app', imageManifest: bare, imageTag: 'x' })),
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain('Invalid JSON syntax');
  });
});
