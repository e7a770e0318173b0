import { describeRef } from '../../../../shared/src/kubernetes/object.ts';
import type { Manifest } from './manifest.ts';

/**
 * `${VAR}` left in a manifest almost always means an envsubst (or similar) step did not run: the
 * API server takes the text as it is, and the app gets `${IMAGE_TAG}` for an image tag. Found in
 * every string of the object, keys included; `$VAR` without braces is left alone, since shell
 * scripts in ConfigMaps and commands use it all the time.
 */
const PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:?+=-][^}]*)?\}/g;

export interface PlaceholderFinding {
  manifest: Manifest;
  /** Distinct placeholders, in the order first met. */
  placeholders: string[];
}

export function findPlaceholders(manifests: readonly Manifest[]): PlaceholderFinding[] {
  return manifests.flatMap((manifest) => {
    const found = new Set<string>();
    collect(manifest.object, found);
    return found.size > 0 ? [{ manifest, placeholders: [...found] }] : [];
  });
}

export function placeholderWarning(finding: PlaceholderFinding): string {
  const { kind, metadata } = finding.manifest.object;
  const ref = describeRef({ apiVersion: '', kind, name: metadata.name, namespace: metadata.namespace });
  return `${ref} (${finding.manifest.source}) still holds ${finding.placeholders.join(', ')}: did an envsubst step not run?`;
}

function collect(value: unknown, found: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(PLACEHOLDER)) found.add(match[0]);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      collect(key, found);
      collect(item, found);
    }
  }
}
