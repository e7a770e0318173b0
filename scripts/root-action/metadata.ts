import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { actionNames } from '../actions.ts';

/** What the root action needs to know of one action's action.yml. */
export interface ActionSpec {
  name: string;
  description: string;
  /** Paths relative to the repository root, as the dispatcher imports them. */
  main: string;
  post?: string;
  postIf?: string;
  inputs: InputSpec[];
  outputs: { name: string; description: string }[];
}

export interface InputSpec {
  name: string;
  description: string;
  required: boolean;
  /** The `default:` as the runner reads it (a YAML scalar as text); undefined when there is none. */
  default?: string;
}

interface RawMetadata {
  description?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown } | null>;
  outputs?: Record<string, { description?: string } | null>;
  runs?: { main?: string; post?: string; 'post-if'?: string };
}

/** Every action of the repository (scripts/actions.ts decides which folders are actions), sorted. */
export function readActionSpecs(root: string): ActionSpec[] {
  return actionNames(root).map((name) =>
    parseActionSpec(name, readFileSync(actionYmlPath(root, name), 'utf8')),
  );
}

export function actionYmlPath(root: string, name: string): string {
  return join(root, 'actions', name, 'action.yml');
}

export function parseActionSpec(name: string, text: string): ActionSpec {
  const raw = (parse(text) ?? {}) as RawMetadata;
  const fromRoot = (script: string | undefined): string | undefined =>
    script === undefined ? undefined : join('actions', name, script).replaceAll('\\', '/');
  const main = fromRoot(raw.runs?.main);
  if (!main) throw new Error(`actions/${name}/action.yml has no runs.main`);
  return {
    name,
    description: raw.description ?? '',
    main,
    post: fromRoot(raw.runs?.post),
    postIf: raw.runs?.['post-if'],
    inputs: Object.entries(raw.inputs ?? {}).map(([input, spec]) => ({
      name: input,
      description: spec?.description ?? '',
      required: spec?.required === true,
      default: spec?.default === undefined || spec.default === null ? undefined : String(spec.default),
    })),
    outputs: Object.entries(raw.outputs ?? {}).map(([output, spec]) => ({
      name: output,
      description: spec?.description ?? '',
    })),
  };
}
