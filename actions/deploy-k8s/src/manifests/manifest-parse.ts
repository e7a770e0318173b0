import { ConfigurationError } from '../../../../shared/src/errors.ts';
import { isRecord } from '../../../../shared/src/kubernetes/object.ts';
import type { Manifest } from './manifest.ts';
import type { ManifestFile } from './manifest-files.ts';
import { readDocument, YamlReadError } from './kubectl-yaml/read-document.ts';

/**
 * Multi-document YAML (or JSON) into plain objects, read as kubectl reads them (YAML 1.1 as go-yaml
 * v2 resolves it: see kubectl-yaml/), checked as the API server would check their envelope: a kind,
 * an apiVersion and a name each. Alias expansion is capped so a "billion laughs" file fails in
 * microseconds, and each object must fit the API server's limit.
 */
/**
 * Nodes aliases may expand to in one document. go-yaml v2 only refuses aliasing past a ratio of the
 * whole document; real manifests reuse a few labels or a pod template, far below this.
 */
const MAX_ALIAS_NODES = 5000;
/** etcd's default request limit, which the API server enforces on every object. */
const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;
const MAX_OBJECTS = 2000;
const INPUT = 'manifests';

export async function parseManifests(files: readonly ManifestFile[]): Promise<Manifest[]> {
  const { LineCounter, parseAllDocuments } = await import('yaml');
  const manifests: Manifest[] = [];
  for (const file of files) {
    const lineCounter = new LineCounter();
    // The failsafe schema leaves every scalar as its text: readDocument resolves it as kubectl does.
    const documents = parseAllDocuments(file.text, {
      version: '1.1',
      schema: 'failsafe',
      resolveKnownTags: false,
      uniqueKeys: false,
      prettyErrors: true,
      lineCounter,
    });
    if (!Array.isArray(documents)) continue;
    for (const [index, document] of documents.entries()) {
      const where = `${file.name}, document ${index + 1}`;
      const problem = document.errors[0];
      if (problem) throw invalid(where, `it is not valid YAML: ${firstLine(problem.message)}`);
      let value: unknown;
      try {
        value = readDocument(document, { lineCounter, maxAliasNodes: MAX_ALIAS_NODES });
      } catch (error) {
        if (!(error instanceof YamlReadError)) throw error;
        throw invalid(where, error.message);
      }
      if (value === null || value === undefined) continue;
      for (const manifest of envelopes(value, where)) {
        manifests.push(manifest);
        if (manifests.length > MAX_OBJECTS) {
          throw new ConfigurationError(
            `The manifests hold more than ${MAX_OBJECTS} objects; deploy them in smaller steps.`,
            {
              input: INPUT,
            },
          );
        }
      }
    }
  }
  if (manifests.length === 0) {
    throw new ConfigurationError(
      `Input "${INPUT}" names ${files.length} file(s) with no Kubernetes object in them.`,
      {
        input: INPUT,
      },
    );
  }
  return manifests;
}

/** A document is one object, or a `kind: List` of them (what `kubectl get -o yaml` writes). */
function envelopes(value: unknown, where: string): Manifest[] {
  if (!isRecord(value))
    throw invalid(where, `expected a Kubernetes object (a mapping), found ${describeValue(value)}`);
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items.flatMap((item, index) => envelopes(item, `${where}, item ${index + 1}`));
  }
  return [checkEnvelope(value, where)];
}

function checkEnvelope(value: Record<string, unknown>, where: string): Manifest {
  // A copy through JSON: aliases become independent objects (rendering one must not change the
  // other), and the size is what the API server will receive.
  const json = JSON.stringify(value);
  if (json.length > MAX_OBJECT_BYTES) {
    throw invalid(
      where,
      `the object is ${json.length} bytes; the API server accepts at most ${MAX_OBJECT_BYTES}`,
    );
  }
  const object = JSON.parse(json) as Record<string, unknown>;
  const { apiVersion, kind, metadata } = object;
  if (typeof kind !== 'string' || kind === '') throw invalid(where, 'the object has no kind');
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    throw invalid(where, `kind ${JSON.stringify(kind)} is not a kind name (CamelCase, like Deployment)`);
  }
  if (typeof apiVersion !== 'string' || apiVersion === '')
    throw invalid(where, `the ${kind} has no apiVersion`);
  if (!/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion)) {
    throw invalid(
      where,
      `apiVersion ${JSON.stringify(apiVersion)} is not group/version (like apps/v1) or v1`,
    );
  }
  if (!isRecord(metadata)) throw invalid(where, `the ${kind} has no metadata`);
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || name === '') {
    const generated = typeof metadata.generateName === 'string';
    throw invalid(
      where,
      generated
        ? `the ${kind} has generateName but no name: server-side apply needs a fixed name`
        : `the ${kind} has no metadata.name`,
    );
  }
  const nameProblem = checkName(name);
  if (nameProblem) throw invalid(where, `the ${kind} name ${JSON.stringify(name)} ${nameProblem}`);
  if (namespace !== undefined && (typeof namespace !== 'string' || !isDnsLabel(namespace))) {
    throw invalid(
      where,
      `metadata.namespace ${JSON.stringify(namespace)} of ${kind} "${name}" is not a namespace name`,
    );
  }
  for (const key of ['labels', 'annotations'] as const) {
    const map = metadata[key];
    if (map === undefined || map === null) continue;
    if (!isRecord(map)) throw invalid(where, `metadata.${key} of ${kind} "${name}" is not a mapping`);
    for (const [entry, entryValue] of Object.entries(map)) {
      if (typeof entryValue !== 'string') {
        throw invalid(
          where,
          `metadata.${key}.${entry} of ${kind} "${name}" is ${describeValue(entryValue)}, not a string: quote it`,
        );
      }
    }
  }
  return { object: object as Manifest['object'], source: where };
}

/** The rules every name obeys (it is a URL path segment); the API server checks each kind's own. */
function checkName(name: string): string | undefined {
  if (name.length > 253) return 'is longer than 253 characters';
  if (name === '.' || name === '..') return 'cannot be . or ..';
  if (/[/%\s\p{Cc}]/u.test(name)) return 'cannot contain /, %, spaces or control characters';
  return undefined;
}

export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

function invalid(where: string, reason: string): ConfigurationError {
  return new ConfigurationError(`Manifest ${where}: ${reason}.`, { input: INPUT });
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}
