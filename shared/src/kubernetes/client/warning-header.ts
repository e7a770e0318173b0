/**
 * The API server's `Warning` response headers (deprecated API versions, fields it ignores), read as
 * client-go reads them (k8s.io/apimachinery/pkg/util/net ParseWarningHeader): `299 - "text"`, the
 * text a quoted string with `"` and `\` escaped, an optional quoted date after it. fetch joins
 * several headers of one name with ", ", so one value may hold several warnings. A value that does
 * not parse is kept whole rather than lost: the user still sees what the server said.
 */
export function parseWarningHeader(value: string | undefined): string[] {
  if (!value?.trim()) return [];
  const texts: string[] = [];
  let rest = value.trim();
  while (rest) {
    const match = /^(\d{3}) +(\S+) +"/.exec(rest);
    const quoted = match ? readQuoted(rest.slice(match[0].length - 1)) : undefined;
    if (!quoted) return [...texts, rest];
    texts.push(quoted.text);
    rest = skipDate(quoted.rest).trim();
    if (rest.startsWith(',')) rest = rest.slice(1).trim();
    else if (rest) return [...texts, rest];
  }
  return texts;
}

function readQuoted(text: string): { text: string; rest: string } | undefined {
  let result = '';
  for (let index = 1; index < text.length; index++) {
    const char = text[index] as string;
    if (char === '\\' && index + 1 < text.length) {
      result += text[++index];
    } else if (char === '"') {
      return { text: result, rest: text.slice(index + 1) };
    } else {
      result += char;
    }
  }
  return undefined;
}

function skipDate(text: string): string {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('"')) return text;
  const end = trimmed.indexOf('"', 1);
  return end < 0 ? text : trimmed.slice(end + 1);
}
