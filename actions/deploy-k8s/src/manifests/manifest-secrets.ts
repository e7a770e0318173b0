import { isRecord } from '../../../../shared/src/kubernetes/object.ts';
import { maskSecret } from '../../../../shared/src/runner/secrets.ts';
import type { Manifest } from './manifest.ts';

/**
 * The values of Secrets in the manifests are secrets the action learns, so they are masked at once,
 * in the form the manifest has and the form the API answers with (base64 in `data`), whatever an
 * error message or a diff might echo. Short values (a port, `true`) are left alone: masking them
 * would shred every log line that happens to contain them.
 */
const MIN_MASKED_LENGTH = 8;

export function maskManifestSecrets(manifests: readonly Manifest[]): void {
  for (const { object } of manifests) {
    if (object.kind !== 'Secret' || object.apiVersion !== 'v1') continue;
    for (const value of Object.values(isRecord(object.data) ? object.data : {})) {
      if (typeof value !== 'string') continue;
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      if (decoded.length >= MIN_MASKED_LENGTH) {
        maskSecret(value);
        maskSecret(decoded);
      }
    }
    for (const value of Object.values(isRecord(object.stringData) ? object.stringData : {})) {
      if (typeof value !== 'string' || value.length < MIN_MASKED_LENGTH) continue;
      maskSecret(value);
      maskSecret(Buffer.from(value, 'utf8').toString('base64'));
    }
  }
}
