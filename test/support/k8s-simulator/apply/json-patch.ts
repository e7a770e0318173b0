import { clone, deepEqual, isObject, type JsonValue } from '../store/json.ts';

/**
 * JSON patch (RFC 6902, `application/json-patch+json`), the patch `kubectl rollout undo` sends to
 * put an old pod template back into a Deployment. A failing operation throws JsonPatchError,
 * which the API server answers with 422.
 */

export class JsonPatchError extends Error {}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: JsonValue;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function read(document: JsonValue, tokens: string[], pointer: string): JsonValue {
  let current: JsonValue = document;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      const index = Number(token);
      if (!/^\d+$/.test(token) || index >= current.length) throw missing(pointer);
      current = current[index]!;
    } else if (isObject(current) && Object.hasOwn(current, token)) {
      current = current[token]!;
    } else {
      throw missing(pointer);
    }
  }
  return current;
}

function missing(pointer: string): JsonPatchError {
  return new JsonPatchError(`doc is missing path: ${JSON.stringify(pointer)}: missing value`);
}

function parentOf(
  document: JsonValue,
  tokens: string[],
  pointer: string,
): { parent: JsonValue; last: string } {
  if (tokens.length === 0) throw new JsonPatchError(`cannot operate on the document root at ${pointer}`);
  return { parent: read(document, tokens.slice(0, -1), pointer), last: tokens.at(-1)! };
}

function add(document: JsonValue, pointer: string, value: JsonValue): JsonValue {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(document, tokens, pointer);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!/^\d+$/.test(last) && last !== '-') throw missing(pointer);
    if (index > parent.length) throw missing(pointer);
    parent.splice(index, 0, value);
  } else if (isObject(parent)) {
    parent[last] = value;
  } else {
    throw missing(pointer);
  }
  return document;
}

function remove(document: JsonValue, pointer: string): JsonValue {
  const tokens = parsePointer(pointer);
  const { parent, last } = parentOf(document, tokens, pointer);
  read(document, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
  return document;
}

export function jsonPatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (!Array.isArray(patch)) throw new JsonPatchError('a JSON patch must be a list of operations');
  let document = clone(target);
  for (const entry of patch) {
    if (!isObject(entry) || typeof entry.op !== 'string' || typeof entry.path !== 'string') {
      throw new JsonPatchError(`invalid operation ${JSON.stringify(entry)}`);
    }
    const operation = entry as unknown as Operation;
    switch (operation.op) {
      case 'add':
        document = add(document, operation.path, clone(operation.value ?? null));
        break;
      case 'remove':
        document = remove(document, operation.path);
        break;
      case 'replace':
        read(document, parsePointer(operation.path), operation.path);
        document = add(remove(document, operation.path), operation.path, clone(operation.value ?? null));
        break;
      case 'move': {
        const from = operation.from ?? '';
        const value = read(document, parsePointer(from), from);
        document = add(remove(document, from), operation.path, value);
        break;
      }
      case 'copy': {
        const from = operation.from ?? '';
        document = add(document, operation.path, clone(read(document, parsePointer(from), from)));
        break;
      }
      case 'test':
        if (!deepEqual(read(document, parsePointer(operation.path), operation.path), operation.value)) {
          throw new JsonPatchError(`testing value ${operation.path} failed: test failed`);
        }
        break;
      default:
        throw new JsonPatchError(`Unexpected kind: ${operation.op}`);
    }
  }
  return document;
}
