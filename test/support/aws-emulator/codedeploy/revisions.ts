import { createHash } from 'node:crypto';
import { optionalObject, optionalString } from '../core/input.ts';
import { AwsServiceError, epochSeconds, type JsonObject } from '../core/protocol.ts';
import type { CodeDeployDeployment } from './model.ts';

/**
 * An application's revisions, as CodeDeploy registers them when a deployment uses one: for ECS, the
 * AppSpecContent, keyed by its SHA-256. GetDeployment answers an AppSpecContent revision without its
 * content ("always null", GetDeployment's reference); GetApplicationRevision, given the SHA-256,
 * answers the content and when the revision was registered and used.
 */

export interface ApplicationRevision {
  content: string;
  sha256: string;
  registeredAt: number;
  lastUsedAt: number;
  description: string | undefined;
  /** The groups whose current target revision this is. */
  groups: Set<string>;
}

export class ApplicationRevisions {
  /** By `<application>/<sha256>`. */
  private readonly revisions = new Map<string, ApplicationRevision>();

  /** Registers (or marks used) the revision of a new deployment, the group's target from now on. */
  use(deployment: CodeDeployDeployment, at: number): void {
    const content = (deployment.revision.appSpecContent as JsonObject | undefined)?.content;
    if (typeof content !== 'string') return;
    const application = deployment.group.application.name;
    const sha256 = createHash('sha256').update(content).digest('hex');
    for (const [key, revision] of this.revisions) {
      if (key.startsWith(`${application}/`)) revision.groups.delete(deployment.group.name);
    }
    const key = `${application}/${sha256}`;
    const revision = this.revisions.get(key) ?? {
      content,
      sha256,
      registeredAt: at,
      lastUsedAt: at,
      description: deployment.description,
      groups: new Set<string>(),
    };
    revision.lastUsedAt = at;
    revision.groups.add(deployment.group.name);
    this.revisions.set(key, revision);
  }

  /** GetApplicationRevision for an AppSpecContent revision named by its SHA-256. */
  get(application: string, input: JsonObject): JsonObject {
    const location = optionalObject(input, 'revision');
    if (!location) throw new AwsServiceError('RevisionRequiredException', 'Revision is required.');
    const sha256 = optionalString(optionalObject(location, 'appSpecContent') ?? {}, 'sha256');
    if (optionalString(location, 'revisionType') !== 'AppSpecContent' || !sha256) {
      throw new AwsServiceError(
        'InvalidRevisionException',
        'An ECS application revision is named by revisionType AppSpecContent and appSpecContent.sha256.',
      );
    }
    const found = this.revisions.get(`${application}/${sha256}`);
    if (!found) {
      throw new AwsServiceError(
        'RevisionDoesNotExistException',
        `No application revision found for revision AppSpecContent with sha256 ${sha256}`,
      );
    }
    return {
      applicationName: application,
      revision: {
        revisionType: 'AppSpecContent',
        appSpecContent: { content: found.content, sha256: found.sha256 },
      },
      revisionInfo: {
        ...(found.description !== undefined && { description: found.description }),
        deploymentGroups: [...found.groups],
        firstUsedTime: epochSeconds(new Date(found.registeredAt)),
        lastUsedTime: epochSeconds(new Date(found.lastUsedAt)),
        registerTime: epochSeconds(new Date(found.registeredAt)),
      },
    };
  }
}

/** The revision as GetDeployment and BatchGetDeployments show it: an AppSpecContent without its content. */
export function revisionWithoutContent(revision: JsonObject): JsonObject {
  const appSpecContent = revision.appSpecContent as JsonObject | undefined;
  if (!appSpecContent) return revision;
  const sha256 =
    typeof appSpecContent.content === 'string'
      ? createHash('sha256').update(appSpecContent.content).digest('hex')
      : appSpecContent.sha256;
  return { ...revision, appSpecContent: { sha256 } };
}
