import { AwsServiceError, type JsonObject } from './protocol.ts';

/**
 * Reading request fields as ECS and CloudWatch Logs check them: a missing or out-of-range member is
 * an `InvalidParameterException` worded as AWS's model validation words it, a member of the wrong
 * JSON type a `SerializationException` (the SDK never sends one; a hand-written request might).
 */

export function invalidParameter(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterException', message);
}

export function validationError(field: string, value: unknown, constraint: string): AwsServiceError {
  const shown = value === undefined ? 'null' : `'${String(value)}'`;
  return invalidParameter(
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

function invalidType(field: string, expected: string): AwsServiceError {
  return new AwsServiceError('SerializationException', `Expected ${expected} for '${field}'`);
}

export function requiredString(input: JsonObject, field: string): string {
  const value = optionalString(input, field);
  if (value === undefined || value === '') throw validationError(field, value, 'Member must not be null');
  return value;
}

export function optionalString(input: JsonObject, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidType(field, 'a string');
  return value;
}

export function optionalBoolean(input: JsonObject, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidType(field, 'a boolean');
  return value;
}

/** An integer within `[min, max]`, checked as the model's range constraint is. */
export function optionalInteger(
  input: JsonObject,
  field: string,
  range: { min?: number; max?: number } = {},
): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidType(field, 'an integer');
  if (range.min !== undefined && value < range.min) {
    throw validationError(field, value, `Member must have value greater than or equal to ${range.min}`);
  }
  if (range.max !== undefined && value > range.max) {
    throw validationError(field, value, `Member must have value less than or equal to ${range.max}`);
  }
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
  if (
    !Array.isArray(value) ||
    !value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))
  ) {
    throw invalidType(field, 'a list of structures');
  }
  return value as JsonObject[];
}
