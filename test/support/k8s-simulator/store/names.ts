import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Generated names and identifiers in the shapes Kubernetes uses, so anything that parses them
 * (a pod name's suffix, a template hash) sees what it would see on a cluster.
 */

/** k8s.io/apimachinery/pkg/util/rand: no vowels, no look-alikes, so generated names spell nothing. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character suffix of `generateName` and of pods a ReplicaSet, DaemonSet or Job creates. */
export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  return [...bytes].map((byte) => ALPHANUMS[byte % ALPHANUMS.length]).join('');
}

/** rand.SafeEncodeString: how a pod-template-hash or controller-revision hash is spelled. */
export function safeEncode(text: string): string {
  return [...text].map((character) => ALPHANUMS[character.charCodeAt(0) % ALPHANUMS.length]).join('');
}

/** FNV-1a, 32 bits: the hash controller.ComputeHash feeds the pod template through. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function newUid(): string {
  return randomUUID();
}
