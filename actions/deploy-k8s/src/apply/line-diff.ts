/**
 * A unified diff of two texts by line, with Myers' O((N+M)D) algorithm ("An O(ND) Difference
 * Algorithm and Its Variations", 1986), the one diff(1) and git use, so the output reads the same.
 */
export type Edit = { op: ' ' | '-' | '+'; line: string };

/** Beyond this many differing lines a diff is no longer read: the whole text is shown replaced. */
const MAX_EDIT_DISTANCE = 2000;

export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  const max = a.length + b.length;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE); d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));
      let x = down ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= a.length && y >= b.length) return backtrack(trace, a, b, offset);
    }
  }
  return [...a.map((line): Edit => ({ op: '-', line })), ...b.map((line): Edit => ({ op: '+', line }))];
}

function backtrack(trace: Int32Array[], a: readonly string[], b: readonly string[], offset: number): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));
    const previousK = down ? k + 1 : k - 1;
    const previousX = v[offset + previousK] as number;
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      edits.push({ op: ' ', line: a[x - 1] as string });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === previousX) edits.push({ op: '+', line: b[y - 1] as string });
      else edits.push({ op: '-', line: a[x - 1] as string });
    }
    x = previousX;
    y = previousY;
  }
  return edits.reverse();
}

/** `--- live` / `+++ after` and @@ hunks with `context` lines around each change; '' when equal. */
export function unifiedDiff(before: string, after: string, labels: [string, string], context = 3): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const edits = diffLines(a, b);
  if (edits.every((edit) => edit.op === ' ')) return '';
  const lines = [`--- ${labels[0]}`, `+++ ${labels[1]}`];
  const changed = edits.flatMap((edit, index) => (edit.op === ' ' ? [] : [index]));
  let start = 0;
  while (start < changed.length) {
    let end = start;
    while (end + 1 < changed.length && (changed[end + 1] as number) - (changed[end] as number) <= 2 * context)
      end++;
    const from = Math.max(0, (changed[start] as number) - context);
    const to = Math.min(edits.length, (changed[end] as number) + context + 1);
    const before = edits.slice(0, from);
    const hunk = edits.slice(from, to);
    const oldStart = before.filter((edit) => edit.op !== '+').length;
    const newStart = before.filter((edit) => edit.op !== '-').length;
    const oldCount = hunk.filter((edit) => edit.op !== '+').length;
    const newCount = hunk.filter((edit) => edit.op !== '-').length;
    lines.push(
      `@@ -${oldStart + (oldCount ? 1 : 0)},${oldCount} +${newStart + (newCount ? 1 : 0)},${newCount} @@`,
    );
    for (const edit of hunk) lines.push(`${edit.op}${edit.line}`);
    start = end + 1;
  }
  return lines.join('\n');
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\n$/, '').split('\n');
}
