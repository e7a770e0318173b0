import { formatBytes } from '../../../shared/src/formats/bytes.ts';
import { formatDuration } from '../../../shared/src/formats/duration.ts';
import { escapeInline, fencedCode, JobSummary } from '../../../shared/src/runner/summary.ts';
import type { BuildCommand } from './builders/types.ts';

/** The job summary of a build: where the image went, under which tags, and what it is. */
export interface BuildReport {
  dryRun: boolean;
  builder: string;
  /** build-push-action's `call`: check, outline or targets evaluate the build without building. */
  call: string | undefined;
  /** What the builder found out before building (an old BuildKit that cannot rebuild the same image). */
  notes: string[];
  images: string[];
  tags: string[];
  labels: Record<string, string>;
  digest: string | undefined;
  imageId: string | undefined;
  sizeBytes: number | undefined;
  durationMs: number | undefined;
  /** Tags that already pointed at this image in an immutable repository, so were not pushed again. */
  alreadyPresent: string[];
  /** Build steps, and how many of them the builder's cache served, when the builder says. */
  cache: { steps: number; hits: number } | undefined;
  command: BuildCommand;
}

/** buildx exports nothing for a build that is neither pushed nor loaded, so it has no image ID to tell. */
const NO_IMAGE_ID = 'not reported: the image was neither pushed nor loaded, so nothing was exported';

export function buildSummary(report: BuildReport): JobSummary {
  const summary = new JobSummary();
  const evaluatedOnly = report.call !== undefined && !report.call.startsWith('build');
  if (report.dryRun) {
    summary.heading(
      `Dry run: ${report.builder} would build ${report.tags.length} tags (nothing built or pushed)`,
    );
  } else if (evaluatedOnly) {
    summary.heading(`Ran ${report.builder} with call: ${report.call} (nothing built or pushed)`);
  } else if (report.digest && report.alreadyPresent.length === report.tags.length) {
    summary.heading(`Every tag already held ${report.images[0]}@${report.digest} (nothing pushed)`);
  } else if (report.digest) {
    summary.heading(`Pushed ${report.images[0]}@${report.digest}`);
  } else {
    summary.heading(`Built ${report.imageId ?? 'the image'} (not pushed)`);
  }
  const facts: [string, string][] = [
    ['Builder', report.builder],
    ['Digest', report.digest ? `\`${report.digest}\`` : '–'],
    ['Image ID', report.imageId ? `\`${report.imageId}\`` : report.dryRun ? '–' : NO_IMAGE_ID],
    ['Size', report.sizeBytes === undefined ? '–' : formatBytes(report.sizeBytes)],
    ['Build time', report.durationMs === undefined ? '–' : formatDuration(report.durationMs)],
  ];
  if (report.cache) facts.push(['Cache hits', `${report.cache.hits} of ${report.cache.steps} steps`]);
  summary.table(['', ''], facts);
  for (const note of report.notes) summary.paragraph(`⚠️ ${escapeInline(note)}`);
  summary.table(
    ['Tag', 'State'],
    report.tags.map((tag) => [
      `\`${tag}\``,
      report.alreadyPresent.includes(tag)
        ? 'already pointed at this image (immutable)'
        : report.dryRun
          ? 'planned'
          : report.digest
            ? 'pushed'
            : 'built',
    ]),
  );
  summary.details(
    `Labels (${Object.keys(report.labels).length})`,
    Object.entries(report.labels)
      .map(([key, value]) => `- \`${escapeInline(key)}\` = ${escapeInline(value)}`)
      .join('\n'),
  );
  summary.details('Builder command', fencedCode([report.command.command, ...report.command.args].join(' ')));
  return summary;
}
