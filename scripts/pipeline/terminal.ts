/**
 * A job summary (GitHub-flavoured Markdown with a little HTML) rendered for a terminal: headings
 * underlined, tables as aligned columns, code blocks indented, HTML tags and entities removed. Enough for Gantry's own
 * summaries; not a Markdown renderer.
 */
export function renderSummary(markdown: string): string {
  // A line break inside a table cell stays inside it, or the row would fall apart.
  const rowsKept = markdown
    .split('\n')
    .map((line) => (isTableRow(line) ? line.replace(/<br\s*\/?>/gi, ' / ') : line))
    .join('\n');
  const lines = stripHtml(rowsKept).split('\n');
  const out: string[] = [];
  let fence: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const fenceMark = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      // Code blocks keep their text as written, indented, without the fences.
      if (fenceMark !== undefined && fenceMark.length >= fence.length && line.trim() === fenceMark)
        fence = undefined;
      else out.push(`    ${line}`);
      continue;
    }
    if (fenceMark !== undefined) {
      fence = fenceMark;
      continue;
    }
    if (isTableRow(line)) {
      const rows: string[][] = [];
      while (index < lines.length && isTableRow(lines[index] ?? '')) {
        const cells = splitRow(lines[index] ?? '');
        if (!cells.every((cell) => /^:?-+:?$/.test(cell))) rows.push(cells);
        index++;
      }
      index--;
      out.push(...formatTable(rows));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const text = heading[2] ?? '';
      out.push(text, (heading[1]?.length ?? 1) <= 2 ? '='.repeat(text.length) : '-'.repeat(text.length));
      continue;
    }
    out.push(line.replace(/\*\*(.*?)\*\*/g, '$1').replace(/`([^`]*)`/g, '$1'));
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Rows as columns padded to the widest cell, the first row underlined. */
export function formatTable(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length)));
  const format = (row: string[]): string =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const [header, ...body] = rows;
  if (!header) return [];
  return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(format)];
}

function isTableRow(line: string): boolean {
  return /^\s*\|.*\|\s*$/.test(line);
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) =>
      cell
        .trim()
        .replaceAll('\\|', '|')
        .replace(/`([^`]*)`/g, '$1')
        .replace(/\*\*(.*?)\*\*/g, '$1'),
    );
}

function stripHtml(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(details|summary|p|div|span|sup|sub|b|i|em|strong|code|pre)[^>]*>/gi, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
