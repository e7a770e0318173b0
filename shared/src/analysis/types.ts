import type { KubernetesClient } from '../kubernetes/client/client.ts';
import type { Where } from '../smoke-checks/check-fields.ts';
import type { CheckSpec } from '../smoke-checks/check-spec.ts';
import type { Condition } from './condition.ts';

/** The run settings at the top of the `analysis` YAML, defaults applied. */
export interface AnalysisSettings {
  /** Start to start of two rounds of measurements. */
  intervalMs: number;
  /** Rounds at most. */
  count: number;
  /** A check with more failed (or errored) measurements than this fails the analysis. */
  failureLimit: number;
  /** A check with more inconclusive measurements than this makes the analysis inconclusive. */
  inconclusiveLimit: number;
  /** A check passes early after this many successes in a row; undefined: it runs all `count` rounds. */
  consecutiveSuccesses: number | undefined;
  /** Bounds the whole analysis; reaching it fails the analysis. */
  timeoutMs: number;
}

export interface SmokeTestCheck {
  name: string;
  kind: 'smoke-test';
  /** The check's fields as written; read again with the variables substituted at each measurement. */
  fields: Record<string, unknown>;
  /** The check as read at readAnalysis time (placeholders filled with a stand-in), for display. */
  spec: CheckSpec;
  /** Where the check was written, for messages when it is read again with the variables. */
  where: Where;
}

export interface PrometheusCheck {
  name: string;
  kind: 'prometheus';
  /** May hold ${name} placeholders. */
  address: string;
  /** May hold ${name} placeholders. */
  query: string;
  successCondition: Condition | undefined;
  failureCondition: Condition | undefined;
  /** The Authorization header value, already masked; undefined for none. */
  authorization: string | undefined;
  requestTimeoutMs: number;
  insecure: boolean;
}

export interface JobCheck {
  name: string;
  kind: 'job';
  /** The Job manifest, read and checked; each measurement runs a copy under a name of its own. */
  manifest: Record<string, unknown>;
  /** `the file jobs/check.yaml` or `an inline manifest`, for messages. */
  origin: string;
  /** The container whose exit code decides, and whose log tail is kept: the first one. */
  container: string;
}

export type AnalysisCheck = SmokeTestCheck | PrometheusCheck | JobCheck;

export interface AnalysisPlan {
  settings: AnalysisSettings;
  checks: AnalysisCheck[];
  /** The input the plan was read from, for messages. */
  inputName: string;
}

export type MeasurementOutcome = 'success' | 'failure' | 'inconclusive' | 'error';

/** What a check's measurement found, before the run adds which check, which round and when. */
export interface Judged {
  outcome: MeasurementOutcome;
  value?: number | string;
  detail: string;
}

export interface AnalysisMeasurement {
  check: string;
  kind: AnalysisCheck['kind'];
  /** 1-based. */
  round: number;
  /** ISO 8601. */
  startedAt: string;
  outcome: MeasurementOutcome;
  /** The measured value: the query's result, the HTTP status, the exit code. */
  value?: number | string;
  /** What was measured and why it was judged so, one line (a Job's log tail follows on more lines). */
  detail: string;
}

export interface AnalysisResult {
  decision: 'passed' | 'failed' | 'inconclusive';
  reason: string;
  rounds: number;
  measurements: AnalysisMeasurement[];
}

export interface AnalysisContext {
  /** For `job` checks; a plan with job checks needs it (see checkAnalysisNeeds). */
  kubernetes?: KubernetesClient;
  /** Where job checks run; else the manifest's, else the client's, else `default`. */
  namespace?: string;
  /** Values for ${name} placeholders in smoke-test url/headers/body and prometheus address/query. */
  variables?: Record<string, string>;
  /** Called with every measurement as it is taken, so the caller can log it live. */
  onMeasurement?: (measurement: AnalysisMeasurement) => void;
  signal?: AbortSignal;
}
