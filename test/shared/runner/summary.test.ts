import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { maskSecret } from '../../../shared/src/runner/secrets.ts';
import { escapeInline, JobSummary, link } from '../../../shared/src/runner/summary.ts';
import { capture, setEnv, tempDir, type TempDir } from '../helpers.ts';

let dir: TempDir;

beforeAll(() => {
  dir = tempDir();
});

afterAll(() => {
  dir.remove();
});

describe('JobSummary', () => {
  it.each([
    [1, '# Deploy'],
    [2, '## Deploy'],
    [3, '### Deploy'],
    [4, '#### Deploy'],
  ] as const)('heading level %p', (level, expected) => {
    expect(new JobSummary().heading('Deploy', level).toMarkdown()).toBe(`${expected}\n`);
  });

  it('headings default to level 2 and escape Markdown', () => {
    expect(new JobSummary().heading('deploy *web* [prod] <b>').toMarkdown()).toBe(
      '## deploy \\*web\\* \\[prod\\] \\<b\\>\n',
    );
  });

  it('separates parts with a blank line', () => {
    expect(new JobSummary().heading('A').paragraph('text').list(['x', 'y']).toMarkdown()).toBe(
      '## A\n\ntext\n\n- x\n- y\n',
    );
  });

  it('builds a table with numbers, escaped pipes and newlines in cells', () => {
    const markdown = new JobSummary()
      .table(
        ['Name', 'Value'],
        [
          ['replicas', 3],
          ['a|b', 'line 1\nline 2\r\nline 3'],
        ],
      )
      .toMarkdown();
    expect(markdown).toBe(
      '| Name | Value |\n| --- | --- |\n| replicas | 3 |\n| a\\|b | line 1<br>line 2<br>line 3 |\n',
    );
  });

  it('escapes pipes in headers too', () => {
    expect(new JobSummary().table(['a|b'], [['c']]).toMarkdown()).toBe('| a\\|b |\n| --- |\n| c |\n');
  });

  it('omits an empty table and an empty list', () => {
    expect(new JobSummary().heading('H').table(['a', 'b'], []).list([]).toMarkdown()).toBe('## H\n');
  });

  it('builds details with an HTML-escaped summary line', () => {
    expect(new JobSummary().details('a < b & c > d', 'body **bold**').toMarkdown()).toBe(
      '<details><summary>a &lt; b &amp; c &gt; d</summary>\n\nbody **bold**\n\n</details>\n',
    );
  });

  it.each([
    ['plain code', 'kubectl get pods', 'sh', '```sh\nkubectl get pods\n```\n'],
    ['no language', 'x', '', '```\nx\n```\n'],
    ['code with a triple backtick', 'a\n```\nb', '', '````\na\n```\nb\n````\n'],
    ['code with four backticks', 'a\n````\nb', '', '`````\na\n````\nb\n`````\n'],
    ['code with a single backtick', 'echo `date`', 'sh', '```sh\necho `date`\n```\n'],
  ])('code fences: %s', (_label, text, language, expected) => {
    expect(new JobSummary().code(text, language).toMarkdown()).toBe(expected);
  });

  it('redacts registered secrets from the whole summary', () => {
    const stdout = capture();
    try {
      maskSecret('summary-secret-value');
    } finally {
      stdout.restore();
    }
    const markdown = new JobSummary()
      .heading('token summary-secret-value')
      .table(['k'], [['summary-secret-value']])
      .code('summary-secret-value')
      .toMarkdown();
    expect(markdown).not.toContain('summary-secret-value');
    expect(markdown).toContain('| *** |');
  });

  it('redacts a secret with Markdown characters before escaping them, so the mask still matches', () => {
    const secret = 'tok_en*secret|77';
    const stdout = capture();
    try {
      maskSecret(secret);
    } finally {
      stdout.restore();
    }
    const markdown = new JobSummary()
      .heading(`heading ${secret}`)
      .paragraph(escapeInline(`paragraph ${secret}`))
      .table(['k'], [[`cell ${secret}`]])
      .details(`details ${secret}`, 'body')
      .paragraph(link(`link ${secret}`, `https://example.com/?token=${secret}`))
      .toMarkdown();
    for (const escaped of ['tok\\_en', 'tok_en', 'secret\\|77', 'secret|77']) {
      expect(markdown).not.toContain(escaped);
    }
    expect(markdown).toContain('heading \\*\\*\\*');
    expect(markdown).toContain('| cell *** |');
  });

  describe('write', () => {
    let restoreEnv: (() => void) | undefined;

    afterEach(() => {
      restoreEnv?.();
      restoreEnv = undefined;
    });

    it('appends to GITHUB_STEP_SUMMARY', async () => {
      const file = dir.file('summary.md', 'earlier step\n');
      restoreEnv = setEnv({ GITHUB_STEP_SUMMARY: file });
      await new JobSummary().heading('First').write();
      await new JobSummary().paragraph('second').write();
      expect(readFileSync(file, 'utf8')).toBe('earlier step\n## First\nsecond\n');
    });

    it('redacts secrets in what it writes', async () => {
      const stdout = capture();
      try {
        maskSecret('written-secret-value');
      } finally {
        stdout.restore();
      }
      const file = dir.file('secret-summary.md');
      restoreEnv = setEnv({ GITHUB_STEP_SUMMARY: file });
      await new JobSummary().paragraph('the password is written-secret-value').write();
      expect(readFileSync(file, 'utf8')).toBe('the password is ***\n');
    });

    it('does nothing without GITHUB_STEP_SUMMARY', async () => {
      restoreEnv = setEnv({ GITHUB_STEP_SUMMARY: undefined });
      await expect(new JobSummary().heading('x').write()).resolves.toBeUndefined();
    });
  });
});

describe('link', () => {
  it.each([
    ['plain', 'Deployment', 'https://example.com/d/1', '[Deployment](https://example.com/d/1)'],
    ['text with brackets', 'run [3]', 'https://e.com', '[run \\[3\\]](https://e.com)'],
    ['href with spaces', 'x', 'https://e.com/a b', '[x](https://e.com/a%20b)'],
    ['href with parentheses', 'wiki', 'https://e.com/Foo_(bar)', '[wiki](https://e.com/Foo_%28bar%29)'],
    ['href with an unbalanced )', 'x', 'https://e.com/a)b', '[x](https://e.com/a%29b)'],
    ['href with an unbalanced (', 'x', 'https://e.com/(a', '[x](https://e.com/%28a)'],
    ['href with a newline', 'x', 'https://e.com/a\nb', '[x](https://e.com/a%0Ab)'],
  ])('%s', (_label, text, href, expected) => {
    expect(link(text, href)).toBe(expected);
  });
});

describe('escapeInline', () => {
  it.each([
    ['plain text', 'plain text'],
    ['a_b*c', 'a\\_b\\*c'],
    ['`code`', '\\`code\\`'],
    ['back\\slash', 'back\\\\slash'],
    ['<tag>|pipe', '\\<tag\\>\\|pipe'],
  ])('%p is %p', (text, expected) => {
    expect(escapeInline(text)).toBe(expected);
  });
});
