import { createHash } from 'node:crypto';
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { Deadline } from '../async/deadline.ts';
import { codeDeployCall, errorCode, type CodeDeploy } from './client.ts';

/**
 * The ECS AppSpec as a CodeDeploy revision: sent with CreateDeployment as `AppSpecContent` (JSON, with
 * its SHA-256), and read back. GetDeployment and BatchGetDeployments never return the content of an
 * AppSpecContent revision (its `content` is always null, says GetDeployment's reference): only its
 * SHA-256, with which GetApplicationRevision returns the content.
 */

export type AppSpecContentRevision = {
  revisionType: 'AppSpecContent';
  appSpecContent: { content: string; sha256: string };
};

/** The AppSpec of a deployment, read back: the whole document and the task definition it deployed. */
export interface DeployedAppSpec {
  document: Record<string, unknown>;
  taskDefinition: string | undefined;
}

/** The revision of CreateDeployment: the AppSpec with the task definition filled in, as JSON, and its SHA-256. */
export function appSpecRevision(
  appSpec: Record<string, unknown>,
  taskDefinitionArn: string,
): AppSpecContentRevision {
  const document = structuredClone(appSpec);
  const target = (document.Resources as { TargetService: { Properties: Record<string, unknown> } }[])[0]!;
  target.TargetService.Properties.TaskDefinition = taskDefinitionArn;
  const content = JSON.stringify(document);
  return {
    revisionType: 'AppSpecContent',
    appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') },
  };
}

/**
 * The AppSpec a deployment deployed, from GetApplicationRevision by the SHA-256 GetDeployment gives;
 * undefined when the deployment's revision is not AppSpecContent or CodeDeploy no longer has it.
 */
export async function deployedAppSpec(
  cd: CodeDeploy,
  info: DeploymentInfo,
  deadline: Deadline,
  signal: AbortSignal,
): Promise<DeployedAppSpec | undefined> {
  const sha256 = info.revision?.appSpecContent?.sha256;
  if (info.revision?.revisionType !== 'AppSpecContent' || !sha256 || !info.applicationName) return undefined;
  const applicationName = info.applicationName;
  let content: string | undefined;
  try {
    const answer = await codeDeployCall(
      'GetApplicationRevision',
      () =>
        cd.client.send(
          new cd.sdk.GetApplicationRevisionCommand({
            applicationName,
            revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256 } },
          }),
          { abortSignal: signal },
        ),
      { deadline, signal },
    );
    content = answer.revision?.appSpecContent?.content;
  } catch (error) {
    if (errorCode(error) === 'RevisionDoesNotExistException') return undefined;
    throw error;
  }
  const document = content === undefined ? undefined : await parseDocument(content);
  if (!document) return undefined;
  return { document, taskDefinition: taskDefinitionOf(document) };
}

/** JSON as Gantry sends it; YAML (a deployment made elsewhere) with the parser loaded only then. */
async function parseDocument(content: string): Promise<Record<string, unknown> | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    try {
      const { parse } = await import('yaml');
      parsed = parse(content);
    } catch {
      return undefined;
    }
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

function taskDefinitionOf(document: Record<string, unknown>): string | undefined {
  const resources = document.Resources as
    { TargetService?: { Properties?: { TaskDefinition?: unknown } } }[] | undefined;
  const arn = Array.isArray(resources) ? resources[0]?.TargetService?.Properties?.TaskDefinition : undefined;
  return typeof arn === 'string' ? arn : undefined;
}
