import { ActionError } from '../../../../shared/src/errors.ts';
import { describeTaskDefinition } from '../../../../shared/src/ecs/task-definitions.ts';
import type { Ecs } from '../../../../shared/src/ecs/client.ts';
import type { RecordsContext } from '../records.ts';
import type { ServiceHistory } from './service-history.ts';
import { familyOf, revisionOf, shortName, type TaskDefinitionRef } from './task-definition-ref.ts';

/**
 * The task definition a service goes back to: the one asked for (`to-task-definition`, or what
 * `from-deployment` recorded), else that of the newest successful deployment recorded for this
 * environment that ran another one, else the newest successful one in the service's own history.
 * Never "current revision - 1". "Available" in messages means: ran successfully.
 */
export interface TargetChoice {
  taskDefinition: string;
  /** Where it came from, for the log. */
  why: string;
}

const RECORDS_CHECKED = 10;

export async function chooseTaskDefinition(
  ecs: Ecs,
  service: { cluster: string; service: string; current: string },
  wanted: { ref?: TaskDefinitionRef; recorded?: string },
  records: RecordsContext,
  history: Pick<ServiceHistory, 'successful'>,
  signal: AbortSignal,
): Promise<TargetChoice> {
  const available = (): string =>
    history.successful.length === 0
      ? 'none'
      : history.successful
          .map((arn) => revisionOf(arn))
          .sort((a, b) => a - b)
          .join(', ');
  if (wanted.recorded)
    return {
      taskDefinition: await existing(ecs, wanted.recorded, wanted.recorded, available, signal),
      why: 'recorded by the deployment',
    };
  if (wanted.ref) {
    const ref = wanted.ref;
    const text =
      ref.kind === 'arn'
        ? ref.arn
        : ref.kind === 'family-revision'
          ? `${ref.family}:${ref.revision}`
          : `${familyOf(service.current)}:${ref.revision}`;
    const label = ref.kind === 'revision' ? `revision ${ref.revision}` : text;
    return { taskDefinition: await existing(ecs, text, label, available, signal), why: 'asked for' };
  }
  const fromRecords = await fromRecordsOf(service, records);
  if (fromRecords) return fromRecords;
  const previous = history.successful.find((arn) => arn !== service.current);
  if (!previous) {
    throw new ActionError(
      `Cannot roll back service ${service.service}: no previous revision: no successful deployment ran another task definition than ${shortName(service.current)} (available: ${available()}).`,
    );
  }
  return { taskDefinition: previous, why: "the newest successful one in the service's deployment history" };
}

async function existing(
  ecs: Ecs,
  reference: string,
  label: string,
  available: () => string,
  signal: AbortSignal,
): Promise<string> {
  const described = await describeTaskDefinition(ecs, reference, signal);
  const arn = described?.taskDefinition.taskDefinitionArn;
  if (typeof arn !== 'string')
    throw new ActionError(`Cannot roll back: ${label} not found (available: ${available()}).`);
  return arn;
}

async function fromRecordsOf(
  service: { cluster: string; service: string; current: string },
  records: RecordsContext,
): Promise<TargetChoice | undefined> {
  if (!records.history) return undefined;
  const candidates = records.listed
    .filter(
      (record) =>
        record.payload?.ecs?.cluster === service.cluster &&
        record.payload.ecs.service === service.service &&
        record.payload.ecs.task_definition !== service.current,
    )
    .slice(0, RECORDS_CHECKED);
  for (const record of candidates) {
    // Earlier successes are inactive by now: a record counts if it ever reached success.
    if ((await records.history.states(record.id)).includes('success')) {
      return {
        taskDefinition: record.payload?.ecs?.task_definition as string,
        why: `recorded by deployment ${record.id}`,
      };
    }
  }
  return undefined;
}
