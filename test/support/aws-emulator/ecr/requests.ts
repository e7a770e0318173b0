import { AwsServiceError, type JsonObject } from '../core/protocol.ts';

/**
 * Reading ECR requests as ECR checks them, in ECR's own wording (`Invalid parameter at '<field>'
 * failed to satisfy constraint: ...`), and its `maxResults` / `nextToken` paging.
 */

const PAGE_MAX = 1000;

/** `maxResults` / `nextToken` paging, the token being opaque to the client as ECR's is. */
export function paginate<T>(items: T[], input: JsonObject): { items: T[]; next: JsonObject } {
  const maxResults = typeof input.maxResults === 'number' ? input.maxResults : PAGE_MAX;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > PAGE_MAX) {
    throw new AwsServiceError(
      'InvalidParameterException',
      `Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value between 1 and ${PAGE_MAX}'`,
    );
  }
  const token = optionalString(input, 'nextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) {
    throw new AwsServiceError(
      'InvalidParameterException',
      "Invalid parameter at 'nextToken': the token is not valid",
    );
  }
  const end = start + maxResults;
  return {
    items: items.slice(start, end),
    next: end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {},
  };
}

export function missing(field: string): AwsServiceError {
  return new AwsServiceError(
    'InvalidParameterException',
    `Invalid parameter at '${field}' failed to satisfy constraint: 'Member must not be null'`,
  );
}

export function requiredString(input: JsonObject, field: string): string {
  const value = optionalString(input, field);
  if (value === undefined || value === '') throw missing(field);
  return value;
}

export function optionalString(input: JsonObject, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidType(field, 'a string');
  return value;
}

export function optionalStringList(input: JsonObject, field: string): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalidType(field, 'a list of strings');
  }
  return value;
}

export function optionalObject(input: JsonObject, field: string): JsonObject | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidType(field, 'a structure');
  return value as JsonObject;
}

export function optionalObjectList(input: JsonObject, field: string): JsonObject[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => item !== null && typeof item === 'object')) {
    throw invalidType(field, 'a list of structures');
  }
  return value as JsonObject[];
}

export function invalidType(field: string, expected: string): AwsServiceError {
  return new AwsServiceError('SerializationException', `Expected ${expected} for '${field}'`);
}
