/** What the dispatcher knows of each action; generated into actions.generated.ts by scripts/root-action.ts. */
export interface ActionEntry {
  /** runs.main and runs.post, relative to the repository root. */
  main: string;
  post?: string;
  /** Every declared input, with the literal default the dispatcher applies (null: none, or the runner's). */
  inputs: Record<string, string | null>;
}

export type ActionTable = Record<string, ActionEntry>;
