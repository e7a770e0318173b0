import { parse } from 'yaml';
import { ConfigurationError } from '../errors.ts';
import { Where } from '../smoke-checks/check-fields.ts';
import { describeShape } from '../smoke-checks/check-spec.ts';
import { readJobCheck } from './job-check.ts';
import { placeholderNamesIn } from './placeholders.ts';
import { readPrometheusCheck } from './prometheus-check.ts';
import { mapping, refuseUnknown, type Fields } from './read-fields.ts';
import { readSettings } from './read-settings.ts';
import { readSmokeTestCheck } from './smoke-test-check.ts';
import type { AnalysisCheck, AnalysisPlan } from './types.ts';

/**
 * Reads the `analysis` input: run settings at the top and a `checks` list, each a `name` and exactly
 * one of `smoke-test`, `prometheus` or `job`. Everything is checked here, before the deploy changes
 * anything; only the values of ${name} placeholders wait for the run.
 */

const TOP_LEVEL = [
  'interval',
  'count',
  'failure-limit',
  'consecutive-successes',
  'inconclusive-limit',
  'timeout',
  'checks',
];
const KINDS = ['smoke-test', 'prometheus', 'job'] as const;
const MAX_NAME = 100;

export function readAnalysis(
  text: string,
  inputName: string,
  options: { workspace: string },
): AnalysisPlan | undefined {
  if (text.trim() === '') return undefined;
  let document: unknown;
  try {
    document = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigurationError(`Input "${inputName}" is not valid YAML: ${reason}.`, { input: inputName });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ConfigurationError(
      `Input "${inputName}" must be a mapping of run settings (${TOP_LEVEL.slice(0, -1).join(', ')}) and a checks list; got ${describeShape(document)}.`,
      { input: inputName },
    );
  }
  const top = document as Fields;
  refuseUnknown(top, TOP_LEVEL, new Where(inputName, 'the run settings'), 'the top level');
  const settings = readSettings(top, new Where(inputName, 'the run settings'));
  if (!Array.isArray(top.checks) || top.checks.length === 0) {
    throw new ConfigurationError(
      `Input "${inputName}": "checks" must be a non-empty list of checks, each a name and one of ${KINDS.join(', ')}; got ${describeShape(top.checks ?? null)}.`,
      { input: inputName },
    );
  }
  const names = new Map<string, number>();
  const checks = top.checks.map((item: unknown, index: number) => {
    const check = readCheck(item, index, inputName, options.workspace);
    const first = names.get(check.name);
    if (first !== undefined) {
      throw new ConfigurationError(
        `Input "${inputName}": "checks[${index}].name" has the value ${JSON.stringify(check.name)}, already the name of checks[${first}]: give the checks distinct names.`,
        { input: inputName },
      );
    }
    names.set(check.name, index);
    return check;
  });
  return { settings, checks, inputName };
}

function readCheck(item: unknown, index: number, inputName: string, workspace: string): AnalysisCheck {
  const fields = mapping(
    item,
    inputName,
    `checks[${index}]`,
    `a mapping with a name and one of ${KINDS.join(', ')}`,
  );
  const where = new Where(inputName, `checks[${index}]`, `checks[${index}].`);
  refuseUnknown(fields, ['name', ...KINDS], where, 'a check');
  const name = readName(fields, where);
  const named = new Where(inputName, `check "${name}"`, `checks[${index}].`);
  const kinds = KINDS.filter((kind) => fields[kind] !== undefined);
  if (kinds.length !== 1) {
    throw new ConfigurationError(
      `Input "${inputName}", check "${name}": "checks[${index}]" has ${kinds.length === 0 ? 'no kind' : `${kinds.join(' and ')}`}; a check has exactly one of ${KINDS.join(', ')}.`,
      { input: inputName },
    );
  }
  const kind = kinds[0] as (typeof KINDS)[number];
  if (kind === 'job') return readJobCheck(name, fields.job, named, workspace);
  const inner = new Where(inputName, `check "${name}"`, `checks[${index}].${kind}.`);
  const body = mapping(
    fields[kind],
    inputName,
    `checks[${index}].${kind}`,
    `a mapping of the ${kind} check's fields`,
  );
  return kind === 'smoke-test'
    ? readSmokeTestCheck(name, body, inner)
    : readPrometheusCheck(name, body as Fields, inner);
}

function readName(fields: Fields, where: Where): string {
  const name = fields.name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME || /[\r\n]/.test(name)) {
    throw where.error(
      'name',
      name,
      `every check needs a name: one line of text, at most ${MAX_NAME} characters`,
    );
  }
  return name.trim();
}

/**
 * A plan's needs the caller must meet: job checks run in a cluster, which deploy-ecs has not; and,
 * when the step names the placeholders it fills, a misspelt one is refused here, before the deploy
 * changes anything, rather than failing every measurement after it.
 */
export function checkAnalysisNeeds(
  plan: AnalysisPlan,
  available: { kubernetes: boolean; placeholders?: readonly string[] },
): void {
  const { placeholders } = available;
  for (const check of placeholders ? plan.checks : []) {
    const used =
      check.kind === 'smoke-test'
        ? placeholderNamesIn(check.fields)
        : check.kind === 'prometheus'
          ? placeholderNamesIn([check.address, check.query])
          : [];
    const unknown = used.find((name) => !placeholders?.includes(name));
    if (unknown !== undefined) {
      const known = placeholders?.map((name) => `\${${name}}`).join(', ');
      throw new ConfigurationError(
        `Input "${plan.inputName}", check "${check.name}": the placeholder \${${unknown}} has no value in this step; ${known ? `the placeholders here are ${known}` : 'this step fills no placeholders'}.`,
        { input: plan.inputName },
      );
    }
  }
  const job = plan.checks.find((check) => check.kind === 'job');
  if (job && !available.kubernetes) {
    throw new ConfigurationError(
      `Input "${plan.inputName}", check "${job.name}": a job check runs a Kubernetes Job, and this step has no cluster; use smoke-test or prometheus checks here.`,
      { input: plan.inputName },
    );
  }
}
