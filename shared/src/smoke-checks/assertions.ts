import { isDeepStrictEqual } from 'node:util';
import { JSONPath } from 'jsonpath-plus';
import type { HttpResponse } from '../net/http.ts';
import type { CheckSpec, JsonAssertion } from './check-spec.ts';
import { statusMatches } from './status-set.ts';

/**
 * Judges one response against everything the check expects. The first unmet expectation is the
 * reason, worded for the job summary.
 */
export type SampleVerdict = { ok: true } | { ok: false; reason: string };

export function judgeResponse(check: CheckSpec, response: HttpResponse): SampleVerdict {
  if (!statusMatches(check.expectedStatus, response.status)) {
    const where = response.redirects.length > 0 ? ` (after ${response.redirects.length} redirects)` : '';
    return fail(`expected status ${check.expectedStatus.text}, got ${response.status}${where}`);
  }
  for (const text of check.contains) {
    if (!response.body.includes(text))
      return fail(`body does not contain ${JSON.stringify(text)}${truncatedNote(response)}`);
  }
  if (check.regex && !check.regex.test(response.body)) {
    return fail(`body does not match /${check.regex.source}/${truncatedNote(response)}`);
  }
  if (check.json.length > 0) {
    const verdict = judgeJson(check.json, response.body);
    if (!verdict.ok) return verdict;
  }
  if (check.maxLatencyMs !== undefined && response.latencyMs > check.maxLatencyMs) {
    return fail(`latency ${Math.round(response.latencyMs)} ms > max-latency ${check.maxLatencyMs} ms`);
  }
  return { ok: true };
}

function judgeJson(assertions: JsonAssertion[], body: string): SampleVerdict {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return fail(`body is not JSON (starts with ${JSON.stringify(body.slice(0, 40))})`);
  }
  for (const assertion of assertions) {
    let matches: unknown[];
    try {
      // jsonpath-plus returns undefined, not [], for a `null` document.
      matches =
        (JSONPath({ path: assertion.path, json: document as object, wrap: true }) as unknown[] | undefined) ??
        [];
    } catch (error) {
      // A filter expression is only parsed when it is evaluated, so a typo in one surfaces here.
      return fail(`JSONPath ${assertion.path} could not be evaluated: ${(error as Error).message}`);
    }
    if (assertion.exists !== undefined) {
      if (assertion.exists && matches.length === 0) return fail(`${assertion.path} does not exist`);
      if (!assertion.exists && matches.length > 0) return fail(`${assertion.path} exists but should not`);
      continue;
    }
    if (matches.length === 0)
      return fail(`${assertion.path} does not exist (expected ${JSON.stringify(assertion.equals)})`);
    const actual = matches.length === 1 ? matches[0] : matches;
    if (!isDeepStrictEqual(actual, assertion.equals)) {
      return fail(
        `${assertion.path} is ${JSON.stringify(actual)}, expected ${JSON.stringify(assertion.equals)}`,
      );
    }
  }
  return { ok: true };
}

function truncatedNote(response: HttpResponse): string {
  return response.bodyTruncated ? ' (only the first 1 MiB was read)' : '';
}

function fail(reason: string): SampleVerdict {
  return { ok: false, reason };
}
