import { parseImageReference } from '../../../build-push/src/image-name.ts';
import { ConfigurationError } from '../../../../shared/src/errors.ts';
import { field, isRecord, type KubeObject } from '../../../../shared/src/kubernetes/object.ts';
import type { Manifest } from './manifest.ts';

/**
 * The `images` input: full references (build-push's `image` output) that replace the image of every
 * container whose repository is the same, wherever a pod template hides in a workload (CronJobs'
 * jobTemplate included), in containers, init containers and ephemeral containers. References are
 * compared parsed, so `registry.example.com:5000/team/app:1.0`, `nginx` and
 * `docker.io/library/nginx@sha256:...` match what they should and nothing else.
 */
export interface ImageOverride {
  /** The reference as given, which replaces matching images: `ghcr.io/team/app@sha256:...`. */
  reference: string;
  /** `registry/repository`, normalised: what a container image must have to be replaced. */
  repository: string;
}

export interface ImageChange {
  manifest: Manifest;
  container: string;
  from: string;
  to: string;
}

const INPUT = 'images';
/** Docker Hub answers to several names; the reference grammar calls them all docker.io. */
const HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

export function parseImageOverrides(items: readonly string[]): ImageOverride[] {
  const overrides: ImageOverride[] = [];
  for (const item of items) {
    const parsed = parseImageReference(item);
    if (!parsed.ok) {
      throw new ConfigurationError(
        `Input "${INPUT}" has an invalid image reference ${JSON.stringify(item)}: ${parsed.reason}.`,
        {
          input: INPUT,
        },
      );
    }
    if (!parsed.value.tag && !parsed.value.digest) {
      throw new ConfigurationError(
        `Input "${INPUT}" has ${JSON.stringify(item)} without a tag or digest: it would deploy whatever "latest" is at pull time.`,
        { input: INPUT, hint: "pass build-push's image output (name@sha256:digest), or name:tag" },
      );
    }
    const repository = repositoryKey(parsed.value.registry, parsed.value.repository);
    const twin = overrides.find((override) => override.repository === repository);
    if (twin) {
      throw new ConfigurationError(
        `Input "${INPUT}" gives two images for ${repository}: ${twin.reference} and ${item.trim()}.`,
        { input: INPUT },
      );
    }
    overrides.push({ reference: item.trim(), repository });
  }
  return overrides;
}

/** Replaces images in place; returns what changed, so unused overrides can be reported. */
export function substituteImages(
  manifests: readonly Manifest[],
  overrides: readonly ImageOverride[],
): ImageChange[] {
  if (overrides.length === 0) return [];
  const changes: ImageChange[] = [];
  for (const manifest of manifests) {
    for (const container of containersOf(manifest.object)) {
      const image = container.image;
      if (typeof image !== 'string') continue;
      const parsed = parseImageReference(image);
      if (!parsed.ok) continue;
      const key = repositoryKey(parsed.value.registry, parsed.value.repository);
      const override = overrides.find((candidate) => candidate.repository === key);
      if (!override) continue;
      changes.push({
        manifest,
        container: String(container.name ?? ''),
        from: image,
        to: override.reference,
      });
      container.image = override.reference;
    }
  }
  return changes;
}

/** The pod spec of each kind that has one: a Pod itself, a workload's template, a CronJob's job's template. */
export function podSpecOf(object: KubeObject): Record<string, unknown> | undefined {
  const paths: Record<string, string[]> = {
    Pod: ['spec'],
    PodTemplate: ['template', 'spec'],
    CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  };
  const spec = field(object, ...(paths[object.kind ?? ''] ?? ['spec', 'template', 'spec']));
  return isRecord(spec) ? spec : undefined;
}

function containersOf(object: KubeObject): Record<string, unknown>[] {
  const spec = podSpecOf(object);
  if (!spec) return [];
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((list) => {
    const containers = spec[list];
    return Array.isArray(containers) ? containers.filter(isRecord) : [];
  });
}

function repositoryKey(registry: string, repository: string): string {
  const lowered = registry.toLowerCase();
  const host = HUB_ALIASES.has(lowered) ? 'docker.io' : lowered;
  // Docker Hub's official images live under library/, however the host was spelled.
  const path = host === 'docker.io' && !repository.includes('/') ? `library/${repository}` : repository;
  return `${host}/${path}`;
}
