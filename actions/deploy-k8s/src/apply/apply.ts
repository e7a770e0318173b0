import { ActionError } from '../../../../shared/src/errors.ts';
import { KubernetesApiError } from '../../../../shared/src/kubernetes/client/api-error.ts';
import type { KubernetesClient } from '../../../../shared/src/kubernetes/client/client.ts';
import { describeRef, type KubeObject } from '../../../../shared/src/kubernetes/object.ts';
import { semanticEqual } from '../../../../shared/src/kubernetes/rollback/rollback-plan.ts';
import type { PlannedObject } from './plan.ts';

/**
 * Server-side apply of one object, sent as the manifest's own JSON (JSON is YAML, so the body is a
 * valid application/apply-patch+yaml document) so that no client-side model can drop a field.
 * Whether it was created, configured or left unchanged is read from the live object before and the
 * answer after: an apply that changes nothing does not change the resourceVersion.
 */
export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

export interface AppliedObject {
  planned: PlannedObject;
  outcome: ApplyOutcome;
  before: KubeObject | undefined;
  after: KubeObject;
  /** A dry run could not ask the server (its namespace or kind is new in this deploy): why. */
  notValidated?: string;
}

export interface ApplyOptions {
  fieldManager: string;
  forceConflicts: boolean;
  dryRun: boolean;
  signal: AbortSignal;
  /** Notices for the log: a conflict with Gantry's own rollback taken over. */
  onNotice?: (message: string) => void;
  /** Each `Warning` the API server sent about this object (deprecated API, ignored field). */
  onWarning?: (planned: PlannedObject, text: string) => void;
}

/** The field manager of Gantry's rollbacks, whose fields a later apply of the same manager takes back. */
export function rollbackManagerOf(fieldManager: string): string {
  return `${fieldManager}-rollback`;
}

/** The field manager of the strategies' own writes (selector switches, weights, scale-downs), taken back the same way. */
export function strategyManagerOf(fieldManager: string): string {
  return `${fieldManager}-strategy`;
}

export async function readLive(
  client: KubernetesClient,
  planned: PlannedObject,
  signal: AbortSignal,
): Promise<KubeObject | undefined> {
  return client.getObject(planned.path, { signal, what: `read ${describeRef(planned.ref)}` });
}

export async function applyObject(
  client: KubernetesClient,
  planned: PlannedObject,
  before: KubeObject | undefined,
  options: ApplyOptions,
): Promise<AppliedObject> {
  const send = (force: boolean): Promise<KubeObject> =>
    client.requestJson<KubeObject>({
      method: 'PATCH',
      path: planned.path,
      query: {
        fieldManager: options.fieldManager,
        force: force ? 'true' : undefined,
        fieldValidation: 'Strict',
        dryRun: options.dryRun ? 'All' : undefined,
      },
      contentType: 'application/apply-patch+yaml',
      body: JSON.stringify(planned.manifest.object),
      what: `${options.dryRun ? 'dry-run apply' : 'apply'} ${describeRef(planned.ref)}`,
      signal: options.signal,
      onWarning: (text) => options.onWarning?.(planned, text),
    });
  let after: KubeObject;
  try {
    after = await send(options.forceConflicts);
  } catch (error) {
    const own = [rollbackManagerOf(options.fieldManager), strategyManagerOf(options.fieldManager)];
    const managers = conflictManagersOf(error);
    if (!options.forceConflicts && managers.length > 0 && managers.every((name) => own.includes(name))) {
      // Gantry's own rollback (a JSON patch, as kubectl's) or a strategy's own write (a selector
      // switch, a scale-down) took these fields from the applier; the next deploy takes them back.
      // Conflicts with anyone else still stop the deploy.
      options.onNotice?.(
        `${describeRef(planned.ref)}: taking back the fields of Gantry's earlier ${managers.includes(own[0] as string) ? 'rollback' : 'strategy step'} (field manager ${[...new Set(managers)].join(', ')}).`,
      );
      after = await send(true).catch((retryError: unknown) => {
        throw explainApplyError(retryError, planned);
      });
    } else {
      throw explainApplyError(error, planned);
    }
  }
  return { planned, outcome: outcomeOf(before, after, options.dryRun), before, after };
}

function outcomeOf(before: KubeObject | undefined, after: KubeObject, dryRun: boolean): ApplyOutcome {
  if (!before) return 'created';
  if (!dryRun)
    return before.metadata?.resourceVersion === after.metadata?.resourceVersion ? 'unchanged' : 'configured';
  // A dry run writes nothing, so the resourceVersion says nothing: compare what would be stored.
  return semanticEqual(comparable(before), comparable(after)) ? 'unchanged' : 'configured';
}

function comparable(object: KubeObject): KubeObject {
  const {
    managedFields: _fields,
    resourceVersion: _version,
    generation: _generation,
    ...metadata
  } = object.metadata ?? {};
  return { ...object, metadata };
}

/** The field managers a 409 of server-side apply names; none for any other error. */
function conflictManagersOf(error: unknown): string[] {
  if (!(error instanceof KubernetesApiError) || error.status !== 409) return [];
  return conflictManagers(error);
}

function conflictManagers(error: KubernetesApiError): string[] {
  const texts =
    error.causes.length > 0 ? error.causes.map((cause) => cause.message ?? '') : [error.serverMessage];
  return texts.flatMap((text) =>
    [...text.matchAll(/conflicts? with "([^"]+)"/g)].map((match) => match[1] as string),
  );
}

/** The API's refusal in terms of the manifest, with what to do about it. */
export function explainApplyError(error: unknown, planned: PlannedObject): unknown {
  if (!(error instanceof KubernetesApiError)) return error;
  const where = `${describeRef(planned.ref)} (${planned.manifest.source})`;
  const fields = error.causes
    .map((cause) => [cause.field, cause.message].filter(Boolean).join(': '))
    .filter(Boolean);
  const detail = fields.length > 0 ? fields.join('; ') : error.serverMessage;
  switch (error.status) {
    case 409:
      return new ActionError(`Applying ${where} conflicts with another field manager: ${detail}.`, {
        cause: error,
        hint: 'another tool or person changed these fields: set force-conflicts: true to take them over, or remove them from the manifest',
      });
    case 422:
    case 400:
      return new ActionError(`The API server rejected ${where}: ${detail}.`, { cause: error });
    case 403:
      return new ActionError(`Not allowed to apply ${where}: ${error.serverMessage}.`, {
        cause: error,
        hint: 'the credentials need get and patch on this resource (RBAC)',
      });
    case 404:
      return new ActionError(`Cannot apply ${where}: ${error.serverMessage}.`, {
        cause: error,
        hint: planned.ref.namespace
          ? `create namespace ${planned.ref.namespace} first, or add a Namespace to the manifests`
          : undefined,
      });
    default:
      return error;
  }
}
