import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigurationError } from '../errors.ts';
import type { Where } from '../smoke-checks/check-fields.ts';
import { isRecord } from '../kubernetes/object.ts';
import type { JobCheck } from './types.ts';

/**
 * A `job` check: a Job manifest, from a file in the workspace or written inline. Checked when the
 * input is read (a batch/v1 Job with a pod template and containers), so a typo never waits for a
 * round; each measurement runs a copy of it (see job-measure.ts).
 */

export function readJobCheck(name: string, value: unknown, where: Where, workspace: string): JobCheck {
  if (typeof value === 'string') {
    const { manifest, file } = readManifestFile(value, where, workspace);
    return build(name, manifest, `the file ${file}`, where);
  }
  if (isRecord(value)) return build(name, value, 'an inline manifest', where);
  throw where.error(
    'job',
    value,
    'expected a Job manifest file path (relative to the workspace) or an inline Job manifest',
  );
}

function readManifestFile(
  path: string,
  where: Where,
  workspace: string,
): { manifest: unknown; file: string } {
  const full = resolve(workspace, path.trim());
  const file = isAbsolute(path.trim()) ? full : relative(workspace, full);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw where.error(
      'job',
      path,
      `the file ${full} cannot be read (${code ?? String(error)}); expected a Job manifest file, relative to the workspace ${workspace}`,
    );
  }
  const documents = parseAllDocuments(text).filter((document) => document.contents !== null);
  if (!Array.isArray(documents) || documents.length !== 1) {
    throw where.error(
      'job',
      path,
      `the file ${file} holds ${Array.isArray(documents) ? documents.length : 'no'} YAML documents; expected exactly one Job manifest`,
    );
  }
  const document = documents[0] as (typeof documents)[number];
  if (document.errors.length > 0) {
    throw where.error(
      'job',
      path,
      `the file ${file} is not valid YAML: ${document.errors[0]?.message.split('\n')[0]}`,
    );
  }
  return { manifest: document.toJS(), file };
}

function build(name: string, manifest: unknown, origin: string, where: Where): JobCheck {
  const bad = (detail: string): ConfigurationError =>
    new ConfigurationError(
      `Input "${where.input}", ${where.label}: ${origin} is not a usable Job manifest: ${detail}.`,
      {
        input: where.input,
      },
    );
  if (!isRecord(manifest)) throw bad('expected a mapping with apiVersion: batch/v1 and kind: Job');
  if (manifest.apiVersion !== 'batch/v1' || manifest.kind !== 'Job') {
    throw bad(
      `apiVersion is ${JSON.stringify(manifest.apiVersion)} and kind ${JSON.stringify(manifest.kind)}; expected batch/v1 and Job`,
    );
  }
  const template = isRecord(manifest.spec) ? manifest.spec.template : undefined;
  const podSpec = isRecord(template) ? template.spec : undefined;
  const containers = isRecord(podSpec) && Array.isArray(podSpec.containers) ? podSpec.containers : [];
  const first = containers[0];
  if (!isRecord(first) || typeof first.name !== 'string' || typeof first.image !== 'string') {
    throw bad('spec.template.spec.containers must list at least one container with a name and an image');
  }
  const restartPolicy = isRecord(podSpec) ? podSpec.restartPolicy : undefined;
  if (restartPolicy !== undefined && restartPolicy !== 'Never' && restartPolicy !== 'OnFailure') {
    throw bad(
      `spec.template.spec.restartPolicy is ${JSON.stringify(restartPolicy)}; a Job accepts Never or OnFailure`,
    );
  }
  const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
  const base = metadata.name ?? metadata.generateName;
  if (base !== undefined && (typeof base !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9-])?$/.test(base))) {
    throw bad(
      `metadata.name ${JSON.stringify(base)} is not a Kubernetes name (lower-case letters, digits, - and .)`,
    );
  }
  return { name, kind: 'job', manifest, origin, container: first.name };
}
