import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { optionalObject, optionalString } from '../core/input.ts';
import { AwsServiceError, type JsonObject } from '../core/protocol.ts';
import { HOOKABLE_EVENTS, type EcsAppSpec, type LifecycleEventName } from './model.ts';

/**
 * CreateDeployment's revision, as CodeDeploy reads an ECS one: `AppSpecContent` whose `content` is
 * the AppSpec in JSON or YAML and whose `sha256`, when given, must be the content's SHA-256.
 */

function invalidRevision(message: string): AwsServiceError {
  return new AwsServiceError('InvalidRevisionException', message);
}

export function readRevision(input: JsonObject): { revision: JsonObject; appSpec: EcsAppSpec } {
  const revision = optionalObject(input, 'revision');
  if (!revision) throw new AwsServiceError('RevisionRequiredException', 'Revision is required.');
  if (optionalString(revision, 'revisionType') !== 'AppSpecContent') {
    throw invalidRevision('An ECS deployment needs a revision of type AppSpecContent.');
  }
  const content = optionalObject(revision, 'appSpecContent');
  const text = content && optionalString(content, 'content');
  if (!text) throw invalidRevision('The AppSpec content is empty.');
  const sha256 = optionalString(content, 'sha256');
  if (sha256 !== undefined && sha256 !== createHash('sha256').update(text).digest('hex')) {
    throw invalidRevision('The sha256 of the AppSpec content does not match its content.');
  }
  return { revision, appSpec: readAppSpec(text) };
}

function readAppSpec(text: string): EcsAppSpec {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch {
    throw invalidRevision('The AppSpec content is not valid JSON or YAML.');
  }
  const resources = (parsed as { Resources?: unknown } | null)?.Resources;
  const target = Array.isArray(resources)
    ? (resources[0] as { TargetService?: JsonObject })?.TargetService
    : undefined;
  const properties = target?.Properties as JsonObject | undefined;
  const balancer = properties?.LoadBalancerInfo as JsonObject | undefined;
  if (target?.Type !== 'AWS::ECS::Service' || typeof properties?.TaskDefinition !== 'string' || !balancer) {
    throw invalidRevision(
      'The AppSpec needs Resources[0].TargetService of Type AWS::ECS::Service with Properties.TaskDefinition and LoadBalancerInfo.',
    );
  }
  const port = Number(balancer.ContainerPort);
  if (typeof balancer.ContainerName !== 'string' || !Number.isInteger(port)) {
    throw invalidRevision('LoadBalancerInfo needs ContainerName and a numeric ContainerPort.');
  }
  const hooks: Partial<Record<LifecycleEventName, string>> = {};
  const listed = (parsed as { Hooks?: unknown }).Hooks;
  for (const entry of Array.isArray(listed) ? listed : []) {
    for (const [event, fn] of Object.entries(entry as JsonObject)) {
      if (!HOOKABLE_EVENTS.includes(event as LifecycleEventName) || typeof fn !== 'string') {
        throw invalidRevision(`The AppSpec hook ${event} is not an ECS lifecycle event hook.`);
      }
      hooks[event as LifecycleEventName] = fn;
    }
  }
  return {
    taskDefinition: properties.TaskDefinition,
    containerName: balancer.ContainerName,
    containerPort: port,
    hooks,
  };
}
