import { describe, expect, it } from '@jest/globals';
import { renderSummary } from '../../scripts/pipeline/terminal.ts';

describe('renderSummary', () => {
  it('underlines headings, aligns tables, indents code blocks and drops markup', () => {
    const markdown = [
      '## Smoke test **passed**',
      '',
      '| Check | Result |',
      '| --- | --- |',
      '| `health` | passed |',
      '| a \\| b | <b>failed</b> |',
      '',
      '````',
      'buildah build --tag x',
      '```',
      '````',
      '<details><summary>Labels</summary>',
      'a &amp; b',
      '</details>',
    ].join('\n');
    expect(renderSummary(markdown).split('\n')).toEqual([
      'Smoke test **passed**',
      '=====================',
      '',
      'Check   Result',
      '------  ------',
      'health  passed',
      'a | b   failed',
      '',
      '    buildah build --tag x',
      '    ```',
      'Labels',
      'a & b',
    ]);
  });

  it('keeps a cell with line breaks on its row', () => {
    const markdown = ['| Workload | Before |', '| --- | --- |', '| web | revision 2<br>web: app:1.1 |'].join(
      '\n',
    );
    expect(renderSummary(markdown).split('\n')).toEqual([
      'Workload  Before',
      '--------  -------------------------',
      'web       revision 2 / web: app:1.1',
    ]);
  });
});
