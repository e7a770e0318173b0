import { readAnalysis, type AnalysisPlan } from '../../shared/src/analysis/index.ts';

/** The analysis tests' shared pieces: a plan from YAML as the input would hold it. */

export function plan(yaml: string, workspace = process.cwd()): AnalysisPlan {
  const read = readAnalysis(yaml, 'analysis', { workspace });
  if (!read) throw new Error('readAnalysis returned no plan');
  return read;
}

/** A prometheus check on `address` with the query `errors` and success when below 0.01. */
export function errorRateCheck(address: string, extra = ''): string {
  return `
  - name: error-rate
    prometheus:
      address: ${address}
      query: errors
      success-condition: result < 0.01${extra}`;
}
