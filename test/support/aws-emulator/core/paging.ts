import { invalidParameter, optionalInteger, optionalString } from './input.ts';
import type { JsonObject } from './protocol.ts';

/**
 * Offset paging for list calls, with a token as opaque to the client as AWS's: a caller that makes
 * up or edits a token gets InvalidParameterException rather than some other page.
 */
export function paginate<T>(
  items: T[],
  input: JsonObject,
  fields: { size: string; max: number; default?: number },
): { items: T[]; nextToken?: string } {
  const size =
    optionalInteger(input, fields.size, { min: 1, max: fields.max }) ?? fields.default ?? fields.max;
  const token = optionalString(input, 'nextToken');
  const start = token === undefined ? 0 : decode(token);
  const end = start + size;
  return {
    items: items.slice(start, end),
    ...(end < items.length && { nextToken: Buffer.from(`page:${end}`).toString('base64url') }),
  };
}

function decode(token: string): number {
  const match = /^page:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw invalidParameter('The specified nextToken is invalid.');
  return Number(match[1]);
}
