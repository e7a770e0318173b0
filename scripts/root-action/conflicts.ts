import type { ActionSpec, InputSpec } from './metadata.ts';

/**
 * When two actions may share an input name under the root action.
 *
 * The root action declares each name once and passes the value to the one action chosen by
 * `action`, so most differences are harmless: required in one action and optional in another,
 * different descriptions (`context` is a build context for build-push and a kubeconfig context for
 * deploy-k8s), different defaults of the same kind (`timeout` is 10m in deploy-k8s and 5m in
 * smoke-test: the dispatcher applies the chosen action's own). Two declarations are INCOMPATIBLE when
 * the root action could not serve both:
 *
 * 1. `reserved`: the name is `action`, which the root action uses to choose the action. An action may
 *    still have an `action` input of its own (deploy-k8s's deploy | promote | abort): the root passes
 *    it as the second word of its own (`action: deploy-k8s promote`), so it must have a literal
 *    default, the value a bare `action: deploy-k8s` means.
 * 2. `expression-default`: a default with an expression (`${{ github.token }}`) can only be evaluated
 *    by the runner, so the root action must declare it; then every action that declares the name
 *    must have that same default, or the root would hand one action another's default.
 * 3. `value-kind`: the literal defaults are of different kinds, so the same value cannot be right for
 *    both: boolean (`true`/`false`), duration (`90s`, `10m`; a bare integer counts too, as the duration
 *    readers take it as seconds), integer, or other text.
 */
export type ConflictRule = 'reserved' | 'expression-default' | 'value-kind';

export interface InputConflict {
  input: string;
  rule: ConflictRule;
  detail: string;
}

export type ValueKind = 'boolean' | 'duration' | 'integer' | 'text';

export const RESERVED_INPUT = 'action';

export function findConflicts(actions: ActionSpec[]): InputConflict[] {
  const conflicts: InputConflict[] = [];
  for (const [input, declarations] of declarationsByName(actions)) {
    if (input === RESERVED_INPUT) {
      const owners = declarations
        .filter(([, spec]) => !spec.default || expressionDefault(spec) !== undefined)
        .map(([action]) => action);
      if (owners.length > 0) {
        conflicts.push({
          input,
          rule: 'reserved',
          detail: `declared by ${owners.join(', ')} without a literal default; the root action reserves it and passes an action's own \`action\` as a second word, whose absence means that default`,
        });
      }
      continue;
    }
    const expressions = new Set(declarations.map(([, spec]) => expressionDefault(spec)));
    if ([...expressions].some((expression) => expression !== undefined) && expressions.size > 1) {
      conflicts.push({ input, rule: 'expression-default', detail: describeDefaults(declarations) });
      continue;
    }
    const kinds = declarations.flatMap(([action, spec]) =>
      spec.default === undefined || spec.default === '' ? [] : [[action, valueKind(spec.default)] as const],
    );
    const first = kinds[0];
    const clash = first && kinds.find(([, kind]) => !kindsCompatible(first[1], kind));
    if (first && clash) {
      conflicts.push({
        input,
        rule: 'value-kind',
        detail: `${first[0]} takes a ${first[1]}, ${clash[0]} a ${clash[1]} (${describeDefaults(declarations)})`,
      });
    }
  }
  return conflicts;
}

/** The kind of value a literal default is. */
export function valueKind(value: string): ValueKind {
  const text = value.trim();
  if (text === 'true' || text === 'false') return 'boolean';
  if (/^\d+$/.test(text)) return 'integer';
  if (/^\d+(\.\d+)?(ms|s|m|h|d)$/.test(text)) return 'duration';
  return 'text';
}

/** The `${{ ... }}` default of an input, if it has one. */
export function expressionDefault(spec: InputSpec): string | undefined {
  return spec.default !== undefined && spec.default.includes('${{') ? spec.default : undefined;
}

function kindsCompatible(a: ValueKind, b: ValueKind): boolean {
  if (a === b) return true;
  const pair = new Set([a, b]);
  return pair.has('integer') && pair.has('duration');
}

/** Input name -> [action, declaration] for every action that declares it, in action order. */
export function declarationsByName(actions: ActionSpec[]): Map<string, [string, InputSpec][]> {
  const byName = new Map<string, [string, InputSpec][]>();
  for (const action of actions) {
    for (const input of action.inputs) {
      byName.set(input.name, [...(byName.get(input.name) ?? []), [action.name, input]]);
    }
  }
  return byName;
}

function describeDefaults(declarations: [string, InputSpec][]): string {
  return declarations
    .map(([action, spec]) => `${action}: ${spec.default === undefined ? 'no default' : `'${spec.default}'`}`)
    .join(', ');
}
