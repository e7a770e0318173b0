/**
 * An action's metadata (action.yml) and the inputs the runner derives from it: every declared
 * input reaches the process as INPUT_<NAME>, with its `default:` (expressions evaluated) when the
 * workflow gives no value, and undeclared inputs pass through with the runner's warning.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

export interface ActionMetadata {
  /** Absolute paths of the scripts runs.main and runs.post point to. */
  main: string;
  post?: string;
  /** runs.post-if; the runner's default is `always()`. */
  postIf: string;
  /** Declared input names, as written, with their raw defaults ('' when none). */
  inputs: Map<string, string>;
}

/** Values of the expression contexts an input default may use (`github`, `runner`), by lower-case key. */
export type ExpressionContexts = Record<'github' | 'runner', Record<string, string>>;

export interface ResolvedInputs {
  env: Record<string, string>;
  warnings: string[];
}

interface RawMetadata {
  inputs?: Record<string, { default?: unknown } | null>;
  runs?: { using?: string; main?: string; pre?: string; post?: string; 'post-if'?: string };
}

export async function readActionMetadata(actionDir: string): Promise<ActionMetadata> {
  const file = await findMetadataFile(actionDir);
  const raw = parse(await readFile(file, 'utf8')) as RawMetadata;
  const runs = raw.runs ?? {};
  if (!/^node\d+$/.test(runs.using ?? '') || !runs.main) {
    throw new Error(`${file}: the harness runs JavaScript actions (runs.using: nodeNN with runs.main)`);
  }
  if (runs.pre) throw new Error(`${file}: runs.pre is not supported by the harness`);
  const inputs = new Map<string, string>();
  for (const [name, spec] of Object.entries(raw.inputs ?? {})) inputs.set(name, scalarText(spec?.default));
  const main = await existingScript(actionDir, runs.main, file);
  const post = runs.post ? await existingScript(actionDir, runs.post, file) : undefined;
  return { main, post, postIf: runs['post-if'] ?? 'always()', inputs };
}

/** The INPUT_* environment of a step, as the runner builds it from `with:` values and defaults. */
export function resolveInputs(
  metadata: ActionMetadata,
  given: Record<string, string>,
  contexts: ExpressionContexts,
): ResolvedInputs {
  const declared = new Map([...metadata.inputs.keys()].map((name) => [name.toLowerCase(), name]));
  const values = new Map<string, string>();
  for (const [name, raw] of metadata.inputs) values.set(name, evaluateTemplate(raw, contexts, name));
  const unexpected: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const known = declared.get(name.toLowerCase());
    if (known === undefined) unexpected.push(name);
    values.set(known ?? name, value);
  }
  const warnings =
    unexpected.length === 0
      ? []
      : [
          `Unexpected input(s) '${unexpected.join("', '")}', ` +
            `valid inputs are ['${[...metadata.inputs.keys()].join("', '")}']`,
        ];
  const env = Object.fromEntries([...values].map(([name, value]) => [inputVariable(name), value]));
  return { env, warnings };
}

/** The runner's variable name for an input: upper-cased, spaces to `_`, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replaceAll(' ', '_').toUpperCase()}`;
}

/** Evaluates `${{ github.x }}` and `${{ runner.x }}`, the only expressions Gantry's defaults need. */
function evaluateTemplate(raw: string, contexts: ExpressionContexts, input: string): string {
  return raw.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
    const match = /^\s*(github|runner)\.([\w-]+)\s*$/i.exec(expression);
    if (!match?.[1] || !match[2]) {
      throw new Error(`The harness cannot evaluate '\${{${expression}}}' in the default of input '${input}'`);
    }
    const context = contexts[match[1].toLowerCase() as keyof ExpressionContexts];
    return context[match[2].toLowerCase()] ?? '';
  });
}

/** A YAML scalar as the runner's string conversion gives it (`default: 3` is '3'). */
function scalarText(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

async function findMetadataFile(actionDir: string): Promise<string> {
  for (const name of ['action.yml', 'action.yaml']) {
    const file = path.join(actionDir, name);
    if (await exists(file)) return file;
  }
  throw new Error(`No action.yml or action.yaml in ${actionDir}`);
}

async function existingScript(actionDir: string, relative: string, metadataFile: string): Promise<string> {
  const script = path.resolve(actionDir, relative);
  if (!(await exists(script))) {
    throw new Error(
      `${metadataFile} points to ${script}, which does not exist: run \`npm run bundle\` first`,
    );
  }
  return script;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
