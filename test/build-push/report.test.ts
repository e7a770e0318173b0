import { describe, expect, it } from '@jest/globals';
import { buildSummary, type BuildReport } from '../../actions/build-push/src/report.ts';

const report: BuildReport = {
  dryRun: false,
  builder: 'docker',
  call: undefined,
  notes: [],
  images: ['ghcr.io/acme/app'],
  tags: ['ghcr.io/acme/app:1'],
  labels: {},
  digest: undefined,
  imageId: undefined,
  sizeBytes: undefined,
  durationMs: 1200,
  alreadyPresent: [],
  cache: undefined,
  command: { command: 'docker', args: ['buildx', 'build', '.'], env: {} },
};

describe('build-push job summary', () => {
  it('says why a build that was neither pushed nor loaded has no image ID', () => {
    const markdown = buildSummary(report).toMarkdown();
    expect(markdown).toContain('Built the image (not pushed)');
    expect(markdown).toContain(
      '| Image ID | not reported: the image was neither pushed nor loaded, so nothing was exported |',
    );
  });

  it('shows the image ID when there is one', () => {
    const imageId = `sha256:${'c'.repeat(64)}`;
    expect(buildSummary({ ...report, imageId }).toMarkdown()).toContain(`| Image ID | \`${imageId}\` |`);
  });

  it("says when the builder's BuildKit cannot make a re-run match", () => {
    const note =
      "BuildKit v0.12.5 is older than 0.13, which cannot rewrite the layers' file times (rewrite-timestamp)";
    expect(buildSummary({ ...report, notes: [note] }).toMarkdown()).toContain(`⚠️ ${note}`);
  });

  it('says that call: check built and pushed nothing', () => {
    const markdown = buildSummary({ ...report, call: 'check' }).toMarkdown();
    expect(markdown).toContain('## Ran docker with call: check (nothing built or pushed)');
  });

  it('fences the builder command so a backtick run in a build argument cannot close the block', () => {
    const args = ['buildx', 'build', '--build-arg', 'NOTE=```end', '.'];
    const markdown = buildSummary({ ...report, command: { command: 'docker', args, env: {} } }).toMarkdown();
    expect(markdown).toContain('````\ndocker buildx build --build-arg NOTE=```end .\n````');
  });
});
