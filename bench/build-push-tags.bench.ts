import { computeTags } from '../actions/build-push/src/metadata/compute-tags.ts';
import { parseFlavor } from '../actions/build-push/src/metadata/flavor.ts';
import type { GitHubContext } from '../actions/build-push/src/metadata/github-context.ts';
import { parseTagRules } from '../actions/build-push/src/metadata/tag-rules.ts';
import { median } from './support/stats.ts';

/**
 * Tag computation: a typical metadata-action rule set evaluated for 10,000 different runs (feature and
 * default-branch pushes, release and pre-release tags, pull requests, schedules, dispatches) in one
 * process, against a baseline loop that builds the same contexts and computes nothing. Rounds
 * alternate so machine noise hits both alike; medians compared. The issue sets no target: it asks for
 * the per-context time.
 */
const CONTEXTS = 10_000;
const ROUNDS = 9;
const START = Date.parse('2026-01-10T00:30:00Z');
const IMAGES = ['ghcr.io/acme/app', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/app'];
const RULES = parseTagRules([
  'type=schedule',
  'type=ref,event=branch',
  'type=ref,event=pr',
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=sha',
  'type=raw,value=latest,enable={{is_default_branch}}',
  "type=raw,value=main-{{date 'YYYYMMDD'}}-{{sha}},enable={{is_default_branch}}",
]);
const FLAVOR = parseFlavor(['latest=auto']);

function buildContext(index: number): GitHubContext {
  const sha = index.toString(16).padStart(40, 'a');
  const kind = index % 7;
  const eventName = ['push', 'push', 'push', 'push', 'pull_request', 'schedule', 'workflow_dispatch'][
    kind
  ] as string;
  const ref = [
    `refs/heads/feature/ticket-${index}`,
    'refs/heads/main',
    `refs/tags/v${index % 10}.${index % 100}.${index}`,
    `refs/tags/v2.${index}.0-rc.${index % 5}`,
    `refs/pull/${index}/merge`,
    'refs/heads/main',
    `refs/heads/release/${index}`,
  ][kind] as string;
  return {
    eventName,
    ref,
    sha,
    repository: 'acme/app',
    serverUrl: 'https://github.com',
    defaultBranch: 'main',
    prNumber: kind === 4 ? index : undefined,
    prHeadSha: kind === 4 ? sha.split('').reverse().join('') : undefined,
    prBaseRef: kind === 4 ? 'main' : undefined,
    commitDate: new Date(START - index * 1000),
    now: new Date(START + index * 1000),
    runNumber: index,
  };
}

/** Builds every context and, when asked, computes its tags; returns the elapsed milliseconds. */
function run(withTags: boolean): { ms: number; checksum: number } {
  let checksum = 0;
  const started = performance.now();
  for (let index = 0; index < CONTEXTS; index++) {
    const context = buildContext(index);
    checksum += withTags
      ? computeTags({ images: IMAGES, rules: RULES, flavor: FLAVOR, context }).tags.length
      : context.ref.length;
  }
  return { ms: performance.now() - started, checksum };
}

run(false);
const warm = run(true);
const baseline: number[] = [];
const measured: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  baseline.push(run(false).ms);
  measured.push(run(true).ms);
}
const perContext = (median(measured) * 1000) / CONTEXTS;
const ratio = median(measured) / median(baseline);
console.log(
  `tag computation: ${CONTEXTS} contexts, ${perContext.toFixed(1)} µs per context ` +
    `(${ratio.toFixed(1)}x the context-building loop) — baseline ${((median(baseline) * 1000) / CONTEXTS).toFixed(2)} µs ` +
    `per context, medians of ${ROUNDS} alternating rounds, ${warm.checksum} tags computed per round`,
);
