import { ConfigurationError } from '../../../../shared/src/errors.ts';
import { isRecord } from '../../../../shared/src/kubernetes/object.ts';
import type { Manifest } from './manifest.ts';

/**
 * A Secret's `data` holds bytes, which JSON carries as base64; a value that is not base64 makes the
 * API server refuse the whole Secret (400 "illegal base64 data"). Checked here, before anything is
 * sent, because a Secret in a namespace the deploy creates cannot be dry-run before that namespace
 * exists. The accepted form is Go's encoding/base64 StdEncoding: padded, line breaks ignored. The
 * value itself is never quoted: it is a secret.
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function checkSecretData(manifests: readonly Manifest[]): void {
  for (const { object, source } of manifests) {
    if (object.kind !== 'Secret' || object.apiVersion !== 'v1' || !isRecord(object.data)) continue;
    for (const [key, value] of Object.entries(object.data)) {
      if (typeof value === 'string' && BASE64.test(value.replace(/[\r\n]/g, ''))) continue;
      throw new ConfigurationError(
        `Manifest ${source}: Secret "${object.metadata.name}" data.${key} is not base64, so the API server would refuse the Secret.`,
        {
          input: 'manifests',
          hint: 'encode the value (base64 -w0), or put the plain text under stringData instead of data',
        },
      );
    }
  }
}
