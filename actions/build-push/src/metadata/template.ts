import { compileDateFormat, formatDate, isTimeZone, type DateFormat } from './date-format.ts';

/**
 * The Handlebars subset docker/metadata-action's rules use: literal text with `{{name}}` and
 * `{{name 'format' tz='Zone'}}` mustaches. Templates are compiled when the input is parsed, so an
 * unknown expression or a malformed mustache is a configuration error before anything runs, where
 * Handlebars would quietly render an empty string in the middle of a tag.
 */

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'value'; name: string }
  | { kind: 'date'; name: string; format: DateFormat; timeZone: string };

export interface Template {
  source: string;
  segments: readonly Segment[];
}

/** The expressions a template may use: a plain value, or a date taking a format and an optional tz=. */
export type Helpers = Readonly<Record<string, 'value' | 'date'>>;

export interface TemplateScope {
  values: Readonly<Record<string, string>>;
  dates: Readonly<Record<string, Date>>;
}

export class TemplateError extends Error {}

const NAME = /^[A-Za-z_]\w*$/;
const ARGUMENTS = /(?:([A-Za-z_]\w*)=)?(?:'([^']*)'|"([^"]*)"|(\S+))/g;

export function compileTemplate(source: string, helpers: Helpers): Template {
  const segments: Segment[] = [];
  let position = 0;
  while (position < source.length) {
    const open = source.indexOf('{{', position);
    if (open < 0) {
      segments.push({ kind: 'text', text: source.slice(position) });
      break;
    }
    if (open > position) segments.push({ kind: 'text', text: source.slice(position, open) });
    const close = closingBraces(source, open + 2);
    segments.push(compileMustache(source.slice(open + 2, close), helpers));
    position = close + 2;
  }
  return { source, segments };
}

/** The index of the `}}` that closes a mustache, skipping quoted arguments (a format may hold `}`). */
function closingBraces(source: string, from: number): number {
  let quote: string | undefined;
  for (let index = from; index < source.length; index++) {
    const char = source[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '}' && source[index + 1] === '}') {
      return index;
    }
  }
  throw new TemplateError(`"{{" at position ${from - 2} is not closed by "}}"`);
}

function compileMustache(inner: string, helpers: Helpers): Segment {
  const trimmed = inner.trim();
  if (trimmed.startsWith('{')) {
    throw new TemplateError(`"{{${inner}}}": triple braces are not supported; write {{name}}`);
  }
  const name = /^\S*/.exec(trimmed)?.[0] ?? '';
  const accepted = Object.keys(helpers)
    .map((helper) => `{{${helper}}}`)
    .join(', ');
  if (!NAME.test(name) || !Object.hasOwn(helpers, name)) {
    throw new TemplateError(`"{{${inner}}}" is not a known expression here (accepted: ${accepted})`);
  }
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (const [, key, single, double, bare] of trimmed.slice(name.length).matchAll(ARGUMENTS)) {
    if (bare !== undefined) {
      const [attribute, value] = key === undefined ? bare.split('=') : [key, bare];
      throw new TemplateError(
        value === undefined
          ? `"{{${inner}}}": the argument "${bare}" must be quoted, as in '${bare}'`
          : `"{{${inner}}}": ${attribute}= needs a quoted value, as in ${attribute}='${value || 'UTC'}'`,
      );
    }
    const value = single ?? double ?? '';
    if (key === undefined) positional.push(value);
    else named.set(key, value);
  }
  if (helpers[name] === 'value') {
    if (positional.length > 0 || named.size > 0) {
      throw new TemplateError(`"{{${inner}}}": {{${name}}} takes no arguments`);
    }
    return { kind: 'value', name };
  }
  return compileDate(inner, name, positional, named);
}

function compileDate(inner: string, name: string, positional: string[], named: Map<string, string>): Segment {
  const usage = `{{${name} 'YYYYMMDD' tz='Europe/Paris'}} (a quoted moment format, tz optional, UTC by default)`;
  const [format] = positional;
  if (format === undefined || positional.length > 1) {
    throw new TemplateError(`"{{${inner}}}" needs exactly one quoted format: ${usage}`);
  }
  for (const key of named.keys()) {
    if (key !== 'tz')
      throw new TemplateError(`"{{${inner}}}": unknown attribute "${key}"; only tz= is accepted`);
  }
  const timeZone = named.get('tz') ?? 'UTC';
  if (!isTimeZone(timeZone)) {
    throw new TemplateError(
      `"{{${inner}}}": "${timeZone}" is not an IANA time zone such as Asia/Tokyo or UTC`,
    );
  }
  const compiled = compileDateFormat(format);
  if (!compiled.ok) throw new TemplateError(compiled.reason);
  return { kind: 'date', name, format: compiled.value, timeZone };
}

export function hasExpressions(template: Template): boolean {
  return template.segments.some((segment) => segment.kind !== 'text');
}

export function renderTemplate(template: Template, scope: TemplateScope): string {
  let text = '';
  for (const segment of template.segments) {
    if (segment.kind === 'text') text += segment.text;
    else if (segment.kind === 'value') text += escapeHtml(scope.values[segment.name] ?? '');
    else text += escapeHtml(formatDate(scope.dates[segment.name] as Date, segment.format, segment.timeZone));
  }
  return text;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

/**
 * Handlebars HTML-escapes every `{{...}}` output, so metadata-action turns a branch `a&b` in
 * `value={{branch}}` into `a&amp;b` (then `a-amp-b` once sanitized); the same results need the same.
 */
function escapeHtml(text: string): string {
  return /[&<>"'`=]/.test(text) ? text.replace(/[&<>"'`=]/g, (char) => HTML_ESCAPES[char] as string) : text;
}
