/**
 * `to-task-definition` as a person types it: a task definition ARN, `family:revision`, or a bare
 * revision number of the service's own family. Pure: undefined for text it cannot read.
 */
export type TaskDefinitionRef =
  | { kind: 'arn'; arn: string }
  | { kind: 'family-revision'; family: string; revision: number }
  | { kind: 'revision'; revision: number };

export const TASK_DEFINITION_REF_ACCEPTED =
  "expected a task definition ARN, family:revision (web:12) or a revision number of the service's family (12)";

const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:[1-9]\d*$/;
const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

export function parseTaskDefinitionRef(text: string): TaskDefinitionRef | undefined {
  const trimmed = text.trim();
  if (ARN.test(trimmed)) return { kind: 'arn', arn: trimmed };
  if (/^[1-9]\d{0,9}$/.test(trimmed)) return { kind: 'revision', revision: Number(trimmed) };
  const match = /^([^:]+):([1-9]\d{0,9})$/.exec(trimmed);
  if (match && FAMILY.test(match[1] ?? '')) {
    return { kind: 'family-revision', family: match[1] as string, revision: Number(match[2]) };
  }
  return undefined;
}

/** `web:12` from `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:12`. */
export function shortName(arn: string): string {
  return arn.split('/').at(-1) ?? arn;
}

export function familyOf(arn: string): string {
  return shortName(arn).split(':')[0] ?? '';
}

export function revisionOf(arn: string): number {
  return Number(shortName(arn).split(':')[1] ?? 0);
}
