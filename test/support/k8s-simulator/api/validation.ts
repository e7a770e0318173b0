import { arrayAt, deepEqual, isObject, objectAt, type JsonObject, type JsonValue } from '../store/json.ts';
import { podSpecPath, podTemplatePath } from './pod-templates.ts';
import { selectorMatches } from './selectors.ts';
import { fieldErrors, type FieldError } from './status.ts';

/**
 * The checks behind a 422: the ones a deploy tool meets (names, labels, containers without an
 * image, selectors that do not match their template, immutable fields), with the API server's
 * own messages.
 */

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " +
  "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and " +
  "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic " +
  "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for " +
  "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must " +
  "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used " +
  "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED_NAME_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
  "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/** Kinds whose names are DNS labels or DNS-1035 labels rather than subdomains. */
const NAME_RULES: Record<string, { pattern: RegExp; message: string; max: number }> = {
  Namespace: { pattern: LABEL, message: LABEL_MESSAGE, max: 63 },
  Service: { pattern: DNS1035, message: DNS1035_MESSAGE, max: 63 },
};

function validateName(kind: string, name: string): FieldError[] {
  const rule = NAME_RULES[kind] ?? { pattern: SUBDOMAIN, message: SUBDOMAIN_MESSAGE, max: 253 };
  const problems: FieldError[] = [];
  if (name.length > rule.max) {
    problems.push(fieldErrors.invalid('metadata.name', name, `must be no more than ${rule.max} characters`));
  }
  if (!rule.pattern.test(name)) problems.push(fieldErrors.invalid('metadata.name', name, rule.message));
  return problems;
}

function validateLabelKey(field: string, key: string): FieldError[] {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const problems: FieldError[] = [];
  if (prefix !== undefined && !SUBDOMAIN.test(prefix)) {
    problems.push(fieldErrors.invalid(field, key, `prefix part ${SUBDOMAIN_MESSAGE}`));
  }
  if (name.length > 63)
    problems.push(fieldErrors.invalid(field, key, 'name part must be no more than 63 characters'));
  if (!QUALIFIED_NAME.test(name)) problems.push(fieldErrors.invalid(field, key, QUALIFIED_NAME_MESSAGE));
  return problems;
}

function validateMetadata(metadata: JsonObject, path: string): FieldError[] {
  const problems: FieldError[] = [];
  const labels = objectAt(metadata, 'labels') ?? {};
  for (const [key, value] of Object.entries(labels)) {
    problems.push(...validateLabelKey(`${path}.labels`, key));
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      problems.push(fieldErrors.invalid(`${path}.labels`, value, LABEL_VALUE_MESSAGE));
    }
  }
  for (const key of Object.keys(objectAt(metadata, 'annotations') ?? {})) {
    problems.push(...validateLabelKey(`${path}.annotations`, key));
  }
  return problems;
}

function validateContainers(spec: JsonObject, path: string, list: string): FieldError[] {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  arrayAt(spec, list).forEach((container, index) => {
    const at = `${path}.${list}[${index}]`;
    if (!isObject(container)) return;
    const name = container.name;
    if (typeof name !== 'string' || name === '') {
      problems.push(fieldErrors.required(`${at}.name`));
    } else {
      if (!LABEL.test(name)) problems.push(fieldErrors.invalid(`${at}.name`, name, LABEL_MESSAGE));
      if (seen.has(name)) problems.push(fieldErrors.duplicate(`${at}.name`, name));
      seen.add(name);
    }
    if (typeof container.image !== 'string' || container.image.trim() === '') {
      problems.push(fieldErrors.required(`${at}.image`));
    }
    arrayAt(container, 'ports').forEach((port, portIndex) => {
      const number = isObject(port) ? port.containerPort : undefined;
      if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 65535) {
        problems.push(
          fieldErrors.invalid(
            `${at}.ports[${portIndex}].containerPort`,
            number ?? 0,
            'must be between 1 and 65535, inclusive',
          ),
        );
      }
    });
  });
  return problems;
}

/** Every volumeMount names a volume of the pod (validateVolumeMounts in pkg/apis/core/validation). */
function validateVolumeMounts(spec: JsonObject, path: string): FieldError[] {
  const volumes = new Set(
    arrayAt(spec, 'volumes')
      .filter(isObject)
      .map((volume) => volume.name),
  );
  const problems: FieldError[] = [];
  for (const list of ['containers', 'initContainers']) {
    arrayAt(spec, list).forEach((container, index) => {
      arrayAt(container, 'volumeMounts').forEach((mount, mountIndex) => {
        const name = isObject(mount) ? mount.name : undefined;
        if (typeof name === 'string' && !volumes.has(name)) {
          problems.push(
            fieldErrors.notFound(`${path}.${list}[${index}].volumeMounts[${mountIndex}].name`, name),
          );
        }
      });
    });
  }
  return problems;
}

function validatePodSpec(spec: JsonObject | undefined, path: string, kind: string): FieldError[] {
  if (!spec) return [fieldErrors.required(`${path}.containers`)];
  const problems: FieldError[] = [];
  if (arrayAt(spec, 'containers').length === 0) problems.push(fieldErrors.required(`${path}.containers`));
  problems.push(
    ...validateContainers(spec, path, 'containers'),
    ...validateContainers(spec, path, 'initContainers'),
    ...validateVolumeMounts(spec, path),
  );
  const restartPolicy = spec.restartPolicy;
  const allowed =
    kind === 'Job' || kind === 'CronJob' ? ['OnFailure', 'Never'] : ['Always', 'OnFailure', 'Never'];
  if (!allowed.includes(String(restartPolicy))) {
    problems.push(fieldErrors.notSupported(`${path}.restartPolicy`, restartPolicy, allowed));
  }
  if (kind !== 'Pod' && kind !== 'Job' && kind !== 'CronJob' && restartPolicy !== 'Always') {
    problems.push(fieldErrors.notSupported(`${path}.restartPolicy`, restartPolicy, ['Always']));
  }
  return problems;
}

function goMap(value: JsonValue | undefined): string {
  const entries = isObject(value) ? Object.entries(value) : [];
  return `map[string]string{${entries.map(([key, inner]) => `"${key}":"${String(inner)}"`).join(', ')}}`;
}

function validateSelector(object: JsonObject, kind: string): FieldError[] {
  if (!['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(kind)) return [];
  const selector = objectAt(object, 'spec', 'selector');
  if (!selector) return [fieldErrors.required('spec.selector')];
  const problems: FieldError[] = [];
  const matchLabels = objectAt(selector, 'matchLabels') ?? {};
  if (Object.keys(matchLabels).length === 0 && arrayAt(selector, 'matchExpressions').length === 0) {
    problems.push(fieldErrors.invalid('spec.selector', selector, 'empty selector is invalid for deployment'));
  }
  const labels = objectAt(object, 'spec', 'template', 'metadata', 'labels');
  if (!selectorMatches(selector, labels ?? {})) {
    problems.push(
      fieldErrors.invalid(
        'spec.template.metadata.labels',
        goMap(labels),
        '`selector` does not match template `labels`',
      ),
    );
  }
  return problems;
}

function intOrPercentIsZero(value: JsonValue | undefined): boolean {
  return value === 0 || value === '0%' || value === '0';
}

function validateStrategy(object: JsonObject, kind: string): FieldError[] {
  const problems: FieldError[] = [];
  const replicas = objectAt(object, 'spec')?.replicas;
  if (typeof replicas === 'number' && replicas < 0) {
    problems.push(fieldErrors.invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
  }
  if (kind !== 'Deployment') return problems;
  const strategy = objectAt(object, 'spec', 'strategy') ?? {};
  if (strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    problems.push(
      fieldErrors.forbidden(
        'spec.strategy.rollingUpdate',
        "may not be specified when strategy `type` is 'Recreate'",
      ),
    );
  }
  if (strategy.type !== 'Recreate' && strategy.type !== 'RollingUpdate') {
    problems.push(
      fieldErrors.notSupported('spec.strategy.type', strategy.type, ['Recreate', 'RollingUpdate']),
    );
  }
  const rolling = objectAt(strategy, 'rollingUpdate');
  if (rolling && intOrPercentIsZero(rolling.maxSurge) && intOrPercentIsZero(rolling.maxUnavailable)) {
    problems.push(
      fieldErrors.invalid(
        'spec.strategy.rollingUpdate.maxUnavailable',
        rolling.maxUnavailable,
        'may not be 0 when `maxSurge` is 0',
      ),
    );
  }
  return problems;
}

function validateService(service: JsonObject): FieldError[] {
  const spec = objectAt(service, 'spec') ?? {};
  const ports = arrayAt(spec, 'ports');
  if (ports.length === 0 && spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
    return [fieldErrors.required('spec.ports')];
  }
  const problems: FieldError[] = [];
  ports.forEach((port, index) => {
    const number = isObject(port) ? port.port : undefined;
    if (typeof number !== 'number' || number < 1 || number > 65535) {
      problems.push(
        fieldErrors.invalid(
          `spec.ports[${index}].port`,
          number ?? 0,
          'must be between 1 and 65535, inclusive',
        ),
      );
    }
    if (ports.length > 1 && !(isObject(port) && typeof port.name === 'string' && port.name)) {
      problems.push(fieldErrors.required(`spec.ports[${index}].name`));
    }
  });
  return problems;
}

function validateDataKeys(object: JsonObject): FieldError[] {
  const problems: FieldError[] = [];
  for (const field of ['data', 'binaryData', 'stringData']) {
    for (const key of Object.keys(objectAt(object, field) ?? {})) {
      if (!CONFIG_KEY.test(key)) {
        problems.push(
          fieldErrors.invalid(
            `${field}[${key}]`,
            key,
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
          ),
        );
      }
    }
  }
  return problems;
}

function validateDefinition(definition: JsonObject): FieldError[] {
  const spec = objectAt(definition, 'spec') ?? {};
  const problems: FieldError[] = [];
  const plural = objectAt(spec, 'names')?.plural;
  const group = spec.group;
  if (typeof group !== 'string' || !group.includes('.')) {
    problems.push(fieldErrors.invalid('spec.group', group ?? '', 'should be a domain with at least one dot'));
  }
  if (typeof plural !== 'string' || plural === '') problems.push(fieldErrors.required('spec.names.plural'));
  if (typeof objectAt(spec, 'names')?.kind !== 'string')
    problems.push(fieldErrors.required('spec.names.kind'));
  if (!['Namespaced', 'Cluster'].includes(String(spec.scope))) {
    problems.push(fieldErrors.notSupported('spec.scope', spec.scope ?? '', ['Cluster', 'Namespaced']));
  }
  const versions = arrayAt(spec, 'versions').filter(isObject);
  if (versions.length === 0)
    problems.push(
      fieldErrors.required('spec.versions', 'must have exactly one version marked as storage version'),
    );
  else if (versions.filter((version) => version.storage === true).length !== 1) {
    problems.push(
      fieldErrors.invalid(
        'spec.versions',
        versions.length,
        'must have exactly one version marked as storage version',
      ),
    );
  }
  const name = objectAt(definition, 'metadata')?.name;
  if (typeof plural === 'string' && typeof group === 'string' && name !== `${plural}.${group}`) {
    problems.push(
      fieldErrors.invalid('metadata.name', name ?? '', 'must be spec.names.plural+"."+spec.group'),
    );
  }
  return problems;
}

/** Fields a workload may never change after creation. */
function validateImmutable(object: JsonObject, old: JsonObject, kind: string): FieldError[] {
  const fields: Record<string, string[][]> = {
    Deployment: [['spec', 'selector']],
    ReplicaSet: [['spec', 'selector']],
    StatefulSet: [
      ['spec', 'selector'],
      ['spec', 'serviceName'],
      ['spec', 'podManagementPolicy'],
    ],
    DaemonSet: [['spec', 'selector']],
    Job: [
      ['spec', 'selector'],
      ['spec', 'template'],
      ['spec', 'completions'],
    ],
  };
  const problems: FieldError[] = [];
  for (const path of fields[kind] ?? []) {
    const before = objectAt(old, ...path.slice(0, -1))?.[path.at(-1)!];
    const after = objectAt(object, ...path.slice(0, -1))?.[path.at(-1)!];
    if (!deepEqual(before ?? null, after ?? null)) {
      problems.push(fieldErrors.invalid(path.join('.'), after ?? null, 'field is immutable'));
    }
  }
  return problems;
}

/** Every problem with an object about to be stored; empty when it is valid. */
export function validateObject(kind: string, object: JsonObject, old?: JsonObject): FieldError[] {
  const metadata = objectAt(object, 'metadata') ?? {};
  const problems: FieldError[] = [];
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    problems.push(fieldErrors.required('metadata.name', 'name or generateName is required'));
  } else {
    problems.push(...validateName(kind, name));
  }
  problems.push(...validateMetadata(metadata, 'metadata'));
  const specPath = podSpecPath(kind);
  if (specPath) {
    const templatePath = podTemplatePath(kind);
    if (templatePath) {
      const templateMetadata = objectAt(object, ...templatePath, 'metadata');
      if (templateMetadata)
        problems.push(...validateMetadata(templateMetadata, `${templatePath.join('.')}.metadata`));
    }
    problems.push(...validatePodSpec(objectAt(object, ...specPath), specPath.join('.'), kind));
  }
  problems.push(...validateSelector(object, kind), ...validateStrategy(object, kind));
  if (kind === 'Service') problems.push(...validateService(object));
  if (kind === 'ConfigMap' || kind === 'Secret') problems.push(...validateDataKeys(object));
  if (kind === 'CustomResourceDefinition') problems.push(...validateDefinition(object));
  if (old) problems.push(...validateImmutable(object, old, kind));
  return problems;
}
