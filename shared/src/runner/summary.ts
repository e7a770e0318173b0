import { appendFile } from 'node:fs/promises';
import { redact } from './secrets.ts';

/**
 * Builds the job summary as GitHub-flavoured Markdown and appends it to GITHUB_STEP_SUMMARY. Text is
 * escaped where Markdown would misread it, and redacted because the runner does not mask the summary
 * file: every escape redacts first (a secret's escaped form, `tok\_en`, no longer matches the
 * secret), and the whole summary is redacted again on write.
 */
export type Cell = string | number;

export class JobSummary {
  private readonly parts: string[] = [];

  heading(text: string, level: 1 | 2 | 3 | 4 = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${escapeInline(text)}`);
    return this;
  }

  /** A paragraph of Markdown the caller has already built (use `escapeInline` for user text). */
  paragraph(markdown: string): this {
    this.parts.push(markdown);
    return this;
  }

  table(headers: string[], rows: Cell[][]): this {
    if (rows.length === 0) return this;
    const line = (cells: Cell[]): string =>
      `| ${cells.map((cell) => escapeCell(String(cell))).join(' | ')} |`;
    this.parts.push(
      [line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n'),
    );
    return this;
  }

  list(items: string[]): this {
    if (items.length > 0) this.parts.push(items.map((item) => `- ${item}`).join('\n'));
    return this;
  }

  details(summaryText: string, body: string): this {
    this.parts.push(`<details><summary>${escapeHtml(summaryText)}</summary>\n\n${body}\n\n</details>`);
    return this;
  }

  code(text: string, language = ''): this {
    this.parts.push(fencedCode(text, language));
    return this;
  }

  toMarkdown(): string {
    return redact(`${this.parts.join('\n\n')}\n`);
  }

  /** Appends to the step summary file; outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write. */
  async write(): Promise<void> {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file) return;
    await appendFile(file, this.toMarkdown(), 'utf8');
  }
}

const PAREN_ESCAPES: Record<string, string> = { '(': '%28', ')': '%29' };

export function link(text: string, href: string): string {
  // encodeURIComponent leaves ( and ) alone, and an unbalanced one ends the link early.
  const escaped = redact(href).replace(/[()\s]/g, (char) => PAREN_ESCAPES[char] ?? encodeURIComponent(char));
  return `[${escapeInline(text)}](${escaped})`;
}

export function escapeInline(text: string): string {
  return redact(text).replace(/[\\`*_[\]<>|]/g, '\\$&');
}

function escapeCell(text: string): string {
  return redact(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function escapeHtml(text: string): string {
  return redact(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A fenced code block, for `details()` bodies and other Markdown built by hand. */
export function fencedCode(text: string, language = ''): string {
  // The fence must be longer than any run of backticks in the text, or that run would close it.
  const longestRun = (text.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
