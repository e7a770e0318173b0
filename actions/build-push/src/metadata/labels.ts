import { ConfigurationError } from '../../../../shared/src/errors.ts';
import { expressionScope, GLOBAL_EXPRESSIONS } from './expressions.ts';
import { revisionOf, type GitHubContext } from './github-context.ts';
import { compileTemplate, renderTemplate, TemplateError, type TemplateScope } from './template.ts';

/**
 * The OCI image labels metadata-action generates (getOCIAnnotationsWithCustoms in src/meta.ts), from the
 * event payload's repository where metadata-action asks the API for it. All eight are always set, empty
 * when unknown, as metadata-action does: an empty label still replaces the one a base image carries,
 * which would describe someone else's image. User labels win, may use the global expressions
 * (`{{branch}}`, `{{date '...'}}`, ...), and the result is sorted by name.
 */
export function ociLabels(
  context: GitHubContext,
  version: string | undefined,
  userLabels: Record<string, string>,
): Record<string, string> {
  const [, repositoryName = ''] = context.repository.split('/');
  const url =
    context.repositoryUrl ?? (context.repository ? `${context.serverUrl}/${context.repository}` : '');
  const labels = new Map<string, string>([
    ['org.opencontainers.image.title', context.repositoryName ?? repositoryName],
    ['org.opencontainers.image.description', context.repositoryDescription ?? ''],
    ['org.opencontainers.image.url', url],
    ['org.opencontainers.image.source', url],
    ['org.opencontainers.image.version', version ?? ''],
    // The commit's date, not the build's: a rebuild of one commit gets the same labels, so (with the
    // builder's timestamps pinned to the same date) the same image, which immutable tags rely on.
    ['org.opencontainers.image.created', context.commitDate.toISOString()],
    ['org.opencontainers.image.revision', revisionOf(context)],
    ['org.opencontainers.image.licenses', context.license ?? ''],
  ]);
  const scope = expressionScope(context);
  for (const [name, value] of Object.entries(userLabels)) labels.set(name, expand(name, value, scope));
  const sorted: Record<string, string> = {};
  for (const name of [...labels.keys()].sort((a, b) => a.localeCompare(b))) {
    // defineProperty, not assignment: a label named __proto__ would be dropped by `sorted[name] = ...`.
    Object.defineProperty(sorted, name, {
      value: labels.get(name),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return sorted;
}

function expand(name: string, value: string, scope: TemplateScope): string {
  try {
    return renderTemplate(compileTemplate(value, GLOBAL_EXPRESSIONS), scope);
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new ConfigurationError(`Input "labels", label "${name}": ${error.message}.`, { input: 'labels' });
    }
    throw error;
  }
}
