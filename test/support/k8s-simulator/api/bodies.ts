import { parse as parseYaml } from 'yaml';
import type { JsonValue } from '../store/json.ts';
import { errors } from './status.ts';

/**
 * Request bodies: JSON for create, replace and the JSON patch types, YAML (JSON being YAML) for
 * server-side apply. The API server decodes YAML with YAML 1.1 rules (sigs.k8s.io/yaml), so
 * `yes` is a boolean there too.
 */

export function parseJsonBody(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}

export function parseYamlBody(text: string): JsonValue {
  try {
    return parseYaml(text, { version: '1.1', uniqueKeys: true, maxAliasCount: 100 }) as JsonValue;
  } catch (error) {
    throw errors.badRequest(`error decoding YAML: ${(error as Error).message}`);
  }
}

/** The media type of a Content-Type header, without parameters, lower-cased. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
