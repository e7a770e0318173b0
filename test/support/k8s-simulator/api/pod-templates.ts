import { objectAt, type JsonObject } from '../store/json.ts';

/**
 * Where each workload keeps its pod template, so defaulting and validation treat a Pod's spec and
 * every template's spec the same way.
 */

const TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The dotted path of a kind's pod spec (`spec.template.spec`), or undefined for kinds without one. */
export function podSpecPath(kind: string): string[] | undefined {
  if (kind === 'Pod') return ['spec'];
  const template = TEMPLATE_PATHS[kind];
  return template ? [...template, 'spec'] : undefined;
}

export function podTemplatePath(kind: string): string[] | undefined {
  return TEMPLATE_PATHS[kind];
}

export function podSpecOf(object: JsonObject, kind: string): JsonObject | undefined {
  const path = podSpecPath(kind);
  return path ? objectAt(object, ...path) : undefined;
}
