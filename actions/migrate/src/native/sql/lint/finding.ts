import type { RangeVar } from 'libpg-query';

/** What a lint rule reports, and how a rule reports it. */

export type Severity = 'error' | 'warning' | 'notice';

export interface Finding {
  rule: string;
  severity: Severity;
  /** Destroys data: fails the step before anything runs unless allow-destructive is true. */
  destructive: boolean;
  /** The migration's script (its path inside migrations-dir) and the annotation path of the file. */
  script: string;
  file: string;
  line: number;
  endLine: number;
  message: string;
}

/** Reports a finding at the statement being linted. */
export type Report = (
  rule: string,
  message: string,
  options?: { destructive?: boolean; severity?: Severity },
) => void;

export function tableName(relation: RangeVar): string {
  return relation.schemaname ? `${relation.schemaname}.${relation.relname}` : String(relation.relname);
}
