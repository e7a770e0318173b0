import type { AnalysisCheck, AnalysisMeasurement, AnalysisSettings } from './types.ts';

/**
 * One check's count of outcomes and what they decide, by Argo Rollouts' rules for a metric: more
 * failures than failure-limit fail it, more inconclusive measurements than inconclusive-limit make it
 * inconclusive, consecutive-successes successes in a row end it early as passed, and when its
 * `count` rounds are done within the limits it has passed, unless consecutive-successes was asked
 * for and not reached (Argo: inconclusive). Two differences: an error (the measurement could not
 * be taken) counts as a failure, as Argo's consecutiveErrorLimit has no place in a CI step that
 * retries transient faults within the measurement; and a check with no success at all never passes.
 */

export type Verdict = { state: 'running' } | { state: 'passed' | 'failed' | 'inconclusive'; reason: string };

export class Tally {
  readonly check: AnalysisCheck;
  private readonly settings: AnalysisSettings;
  measured = 0;
  successes = 0;
  failures = 0;
  inconclusive = 0;
  streak = 0;
  longestStreak = 0;
  last: AnalysisMeasurement | undefined;

  constructor(check: AnalysisCheck, settings: AnalysisSettings) {
    this.check = check;
    this.settings = settings;
  }

  add(measurement: AnalysisMeasurement): Verdict {
    this.measured++;
    this.last = measurement;
    if (measurement.outcome === 'success') {
      this.successes++;
      this.streak++;
      this.longestStreak = Math.max(this.longestStreak, this.streak);
    } else {
      this.streak = 0;
      if (measurement.outcome === 'inconclusive') this.inconclusive++;
      else this.failures++;
    }
    return this.verdict();
  }

  verdict(): Verdict {
    const { failureLimit, inconclusiveLimit, consecutiveSuccesses, count } = this.settings;
    const name = `check "${this.check.name}"`;
    const last = this.last ? ` Last measurement: ${this.last.detail.split('\n')[0]}` : '';
    if (this.failures > failureLimit) {
      return {
        state: 'failed',
        reason: `${name} failed ${this.failures} of ${this.measured} measurements, more than failure-limit ${failureLimit}.${last}`,
      };
    }
    if (this.inconclusive > inconclusiveLimit) {
      return {
        state: 'inconclusive',
        reason: `${name} was inconclusive ${this.inconclusive} of ${this.measured} times, more than inconclusive-limit ${inconclusiveLimit}.${last}`,
      };
    }
    if (consecutiveSuccesses !== undefined && this.streak >= consecutiveSuccesses) {
      return {
        state: 'passed',
        reason: `${name} succeeded ${this.streak} times in a row (consecutive-successes)`,
      };
    }
    if (this.measured < count) return { state: 'running' };
    if (consecutiveSuccesses !== undefined) {
      return {
        state: 'inconclusive',
        reason: `${name} succeeded at most ${this.longestStreak} times in a row in ${count} rounds, short of consecutive-successes ${consecutiveSuccesses}.${last}`,
      };
    }
    if (this.successes === 0) {
      return {
        state: 'inconclusive',
        reason: `${name} had no successful measurement in ${count} rounds.${last}`,
      };
    }
    return {
      state: 'passed',
      reason: `${name} succeeded ${this.successes} of ${count} measurements`,
    };
  }

  /** For a timeout's reason: how far the check got. */
  progress(): string {
    return `${this.check.name}: ${this.successes} succeeded, ${this.failures} failed, ${this.inconclusive} inconclusive`;
  }
}
