/**
 * Our own check of a Gantry action.yml, for what @action-validator/core cannot judge (it rejects
 * node24) and for Gantry's conventions: name and description, `runs.using: node24`, `runs.main` the
 * expected bundle, a post step only from that same bundle (the actions tell main from post by their
 * state), no pre step, kebab-case inputs and outputs, each with a description.
 */
type Yaml = Record<string, unknown>;

const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function checkActionMetadata(metadata: Yaml, expectedMain: string): string[] {
  const problems: string[] = [];
  for (const field of ['name', 'description']) {
    if (typeof metadata[field] !== 'string' || (metadata[field] as string).trim() === '') {
      problems.push(`${field} is missing`);
    }
  }
  const runs = (metadata.runs ?? {}) as Yaml;
  if (runs.using !== 'node24') problems.push(`runs.using is ${JSON.stringify(runs.using)}, not node24`);
  if (runs.main !== expectedMain)
    problems.push(`runs.main is ${JSON.stringify(runs.main)}, not ${expectedMain}`);
  if (runs.post !== undefined && runs.post !== expectedMain) {
    problems.push(`runs.post is ${JSON.stringify(runs.post)}, not ${expectedMain}`);
  }
  if (runs.pre !== undefined) problems.push('runs.pre is not used by Gantry');
  for (const [section, entries] of [
    ['input', metadata.inputs],
    ['output', metadata.outputs],
  ] as const) {
    for (const [name, spec] of Object.entries((entries ?? {}) as Record<string, Yaml | null>)) {
      if (!KEBAB_CASE.test(name)) problems.push(`${section} "${name}" is not kebab-case`);
      if (typeof spec?.description !== 'string' || spec.description.trim() === '') {
        problems.push(`${section} "${name}" has no description`);
      }
      if (section === 'input' && spec?.required !== undefined && typeof spec.required !== 'boolean') {
        problems.push(`input "${name}" has required: ${JSON.stringify(spec.required)}, not a boolean`);
      }
      if (section === 'input' && spec?.default !== undefined && typeof spec.default === 'object') {
        problems.push(`input "${name}" has a default that is not a scalar`);
      }
    }
  }
  return problems;
}
