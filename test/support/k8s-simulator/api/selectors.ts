import { arrayAt, at, isObject, objectAt, type JsonObject, type JsonValue } from '../store/json.ts';
import { errors } from './status.ts';

/**
 * Label selectors (`app=web,tier in (a,b),!canary`), LabelSelector objects (matchLabels and
 * matchExpressions) and field selectors (`involvedObject.name=web,type!=Normal`), with the fields
 * each resource supports: an unsupported field is a 400, as on a real server.
 */

type Requirement = (labels: JsonObject) => boolean;

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of text) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (character === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function parseRequirement(text: string): Requirement {
  const setMatch = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(text);
  if (setMatch) {
    const [, key, operator, values] = setMatch as unknown as [string, string, string, string];
    const allowed = values.split(',').map((value) => value.trim());
    return operator === 'in'
      ? (labels) => typeof labels[key] === 'string' && allowed.includes(labels[key])
      : (labels) => !(typeof labels[key] === 'string' && allowed.includes(labels[key]));
  }
  const comparison = /^([^!=\s]+)\s*(==|!=|=)\s*(.*)$/.exec(text);
  if (comparison) {
    const [, key, operator, value] = comparison as unknown as [string, string, string, string];
    return operator === '!=' ? (labels) => labels[key] !== value : (labels) => labels[key] === value;
  }
  if (/^![^\s!=]+$/.test(text)) return (labels) => labels[text.slice(1)] === undefined;
  if (/^[^\s!=()]+$/.test(text)) return (labels) => labels[text] !== undefined;
  throw errors.badRequest(`unable to parse requirement: ${text}`);
}

/** Parses a `labelSelector` query; throws a 400 ApiError when it does not parse. */
export function parseLabelSelector(text: string | undefined): (labels: JsonObject) => boolean {
  const requirements = splitTopLevel(text ?? '').map(parseRequirement);
  return (labels) => requirements.every((requirement) => requirement(labels));
}

/** Whether labels satisfy a LabelSelector object. An empty selector matches everything. */
export function selectorMatches(selector: JsonValue | undefined, labels: JsonObject): boolean {
  if (!isObject(selector)) return false;
  for (const [key, value] of Object.entries(objectAt(selector, 'matchLabels') ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of arrayAt(selector, 'matchExpressions')) {
    if (!isObject(expression)) return false;
    const key = String(expression.key);
    const values = arrayAt(expression, 'values').map(String);
    const value = labels[key];
    const present = typeof value === 'string';
    switch (expression.operator) {
      case 'In':
        if (!present || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (present && values.includes(value)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Field selectors each kind supports beyond metadata.name and metadata.namespace. */
const FIELDS_BY_KIND: Record<string, string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Secret: ['type'],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  ReplicaSet: ['status.replicas'],
  Job: ['status.successful'],
};

function fieldValue(object: JsonObject, field: string): string {
  if (field === 'source') return String(at(object, 'source', 'component') ?? '');
  if (field === 'status.successful') return String(at(object, 'status', 'succeeded') ?? 0);
  const value = at(object, ...field.split('.'));
  return value === undefined || value === null ? '' : String(value);
}

/** Parses a `fieldSelector` query for a kind; throws a 400 ApiError for a field the kind does not support. */
export function parseFieldSelector(kind: string, text: string | undefined): (object: JsonObject) => boolean {
  const supported = ['metadata.name', 'metadata.namespace', ...(FIELDS_BY_KIND[kind] ?? [])];
  const tests = splitTopLevel(text ?? '').map((requirement) => {
    const match = /^([^!=]+?)\s*(==|!=|=)\s*(.*)$/.exec(requirement);
    if (!match) throw errors.badRequest(`invalid selector: '${text}'; can't understand '${requirement}'`);
    const [, field, operator, value] = match as unknown as [string, string, string, string];
    if (!supported.includes(field)) {
      throw errors.badRequest(`field label not supported: ${field}`);
    }
    return operator === '!='
      ? (object: JsonObject) => fieldValue(object, field) !== value
      : (object: JsonObject) => fieldValue(object, field) === value;
  });
  return (object) => tests.every((test) => test(object));
}
