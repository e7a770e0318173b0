/**
 * Image references by the grammar of the distribution project (reference/regexp.go), which docker,
 * buildah and every registry share: `[registry[:port]/]path[:tag][@digest]`. The first component is a
 * registry when it contains a `.` or a `:`, is `localhost`, or is a bracketed IPv6 address;
 * otherwise the image is on Docker Hub.
 */

export interface ImageName {
  /** `registry.example.com:5000`, `123456789012.dkr.ecr.eu-west-1.amazonaws.com`, or `docker.io`. */
  registry: string;
  /** The path inside the registry: `team/app`, or `library/nginx` for official Hub images. */
  repository: string;
  /** The name as the user wrote it (no tag, no digest), used to build tags: `ghcr.io/team/app`. */
  name: string;
}

export interface ImageReference extends ImageName {
  tag: string | undefined;
  digest: string | undefined;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6 = /^\[[0-9a-fA-F:.]+\]$/;
const PORT = /^\d{1,5}$/;
export const TAG_PATTERN = /^[\w][\w.-]{0,127}$/;
export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
const NAME_MAX = 255;
const DOCKER_HUB = 'docker.io';

export function parseImageName(text: string): Parsed<ImageName> {
  const name = text.trim();
  if (name === '') return fail('the image name is empty');
  if (name.includes('@')) return fail('an image name has no digest here; the digest is an output');
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasRegistry =
    slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || IPV6.test(first));
  const lastColon = name.lastIndexOf(':');
  if (lastColon > (hasRegistry ? slash : -1)) {
    return fail('an image name has no tag here; tags come from the tags input');
  }
  const registry = hasRegistry ? first : DOCKER_HUB;
  const path = hasRegistry ? name.slice(slash + 1) : name;
  if (hasRegistry) {
    const reason = registryProblem(registry);
    if (reason) return fail(reason);
  }
  if (path === '') return fail('the repository path after the registry is empty');
  if (path.length > NAME_MAX) return fail(`the repository path is longer than ${NAME_MAX} characters`);
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      return fail(
        component === ''
          ? 'the path has an empty component (two slashes in a row, or a trailing slash)'
          : `"${component}" is not a valid path component: lowercase letters, digits, and . _ __ - between them`,
      );
    }
  }
  const repository = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
  return { ok: true, value: { registry, repository, name } };
}

/** A full reference, as in `image` outputs and `images` inputs of other actions: name[:tag][@digest]. */
export function parseImageReference(text: string): Parsed<ImageReference> {
  const trimmed = text.trim();
  const at = trimmed.indexOf('@');
  const digest = at >= 0 ? trimmed.slice(at + 1) : undefined;
  if (digest !== undefined && !DIGEST_PATTERN.test(digest)) {
    return fail(`"${digest}" is not a digest like sha256:<64 hex digits>`);
  }
  const withoutDigest = at >= 0 ? trimmed.slice(0, at) : trimmed;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const tag = colon > slash ? withoutDigest.slice(colon + 1) : undefined;
  if (tag !== undefined && !TAG_PATTERN.test(tag)) return fail(tagProblem(tag));
  const name = parseImageName(tag === undefined ? withoutDigest : withoutDigest.slice(0, colon));
  if (!name.ok) return name;
  return { ok: true, value: { ...name.value, tag, digest } };
}

export function isValidTag(tag: string): boolean {
  return TAG_PATTERN.test(tag);
}

export function tagProblem(tag: string): string {
  return `"${tag}" is not a valid tag: 1 to 128 characters of letters, digits, _ . -, not starting with . or -`;
}

function registryProblem(registry: string): string | undefined {
  if (IPV6.test(registry) || IPV6.test(registry.replace(/:\d+$/, ''))) return undefined;
  const colon = registry.lastIndexOf(':');
  const host = colon >= 0 ? registry.slice(0, colon) : registry;
  const port = colon >= 0 ? registry.slice(colon + 1) : undefined;
  if (port !== undefined && (!PORT.test(port) || Number(port) === 0 || Number(port) > 65535)) {
    return `"${registry}" has an invalid port: expected host:port with a port from 1 to 65535`;
  }
  if (host === '' || !host.split('.').every((part) => DOMAIN_COMPONENT.test(part))) {
    return `"${registry}" is not a valid registry host name`;
  }
  return undefined;
}

function fail<T>(reason: string): Parsed<T> {
  return { ok: false, reason };
}
