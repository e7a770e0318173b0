import { objectAt, type JsonObject } from '../store/json.ts';
import { errors } from './status.ts';

/**
 * A Secret's `data` holds bytes, which JSON carries as base64: a value that is not base64 fails
 * the decoding of the request into a Secret, before any validation, with a 400 and Go's
 * encoding/base64 error (`illegal base64 data at input byte N`).
 */
export function checkSecretData(kind: string, object: JsonObject): void {
  if (kind !== 'Secret') return;
  for (const value of Object.values(objectAt(object, 'data') ?? {})) {
    const at = typeof value === 'string' ? corruptAt(value) : undefined;
    if (at !== undefined) {
      throw errors.badRequest(
        `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at}`,
      );
    }
  }
}

const ALPHABET = /[A-Za-z0-9+/]/;

/** Go's base64.StdEncoding decodeQuantum: the offset of the first corrupt byte, or undefined. */
function corruptAt(text: string): number | undefined {
  let index = 0;
  for (;;) {
    let held = 0;
    while (held < 4) {
      if (index === text.length) return held === 0 ? undefined : index - held;
      const char = text[index++] as string;
      if (ALPHABET.test(char)) {
        held++;
        continue;
      }
      if (char === '\n' || char === '\r') continue;
      if (char !== '=' || held < 2) return index - 1;
      if (held === 2) {
        while (index < text.length && /[\r\n]/.test(text[index] as string)) index++;
        if (index === text.length) return text.length;
        if (text[index] !== '=') return index - 1;
        index++;
      }
      while (index < text.length && /[\r\n]/.test(text[index] as string)) index++;
      return index < text.length ? index : undefined;
    }
  }
}
