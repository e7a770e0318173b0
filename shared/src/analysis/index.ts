/**
 * The analysis engine run between progressive-delivery steps (deploy-k8s canary and blue-green,
 * deploy-ecs through CodeDeploy): read the `analysis` input, run its checks in rounds, decide.
 * See README.md in this folder for the YAML format, the defaults and the decision rules.
 */
export { readAnalysis, checkAnalysisNeeds } from './read-analysis.ts';
export { runAnalysis } from './run-analysis.ts';
export { analysisSummary, analysisOutput, measurementLine } from './report.ts';
export type {
  AnalysisCheck,
  AnalysisContext,
  AnalysisMeasurement,
  AnalysisPlan,
  AnalysisResult,
  AnalysisSettings,
  JobCheck,
  MeasurementOutcome,
  PrometheusCheck,
  SmokeTestCheck,
} from './types.ts';
