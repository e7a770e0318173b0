import type { Parsed } from '../image-name.ts';
import { splitRuleFields } from './rule-fields.ts';

/**
 * The `images` input as metadata-action reads it (src/image.ts), from the lines of readRuleLines: one
 * line of bare names is a comma-separated list (the older form, `ghcr.io/a/app,docker.io/a/app`);
 * otherwise each line is one image, `ghcr.io/a/app` or `name=ghcr.io/a/app,enable=false`. Names are
 * lower-cased (`ghcr.io/${{ github.repository }}` often has capitals). `enable` is `true` or `false`,
 * as a `${{ }}` expression gives it; metadata-action evaluates no `{{...}}` here either.
 */
export interface ImageEntry {
  name: string;
  enable: boolean;
}

export const IMAGES_ACCEPTED =
  'repositories one a line (or comma-separated on one line), each either a name or name=<repository>,enable=true|false';

export function parseImageLines(lines: string[]): Parsed<ImageEntry[]> {
  const split: { line: string; fields: { key: string | undefined; value: string }[] }[] = [];
  for (const line of lines) {
    const fields = splitRuleFields(line);
    if (!fields.ok) return { ok: false, reason: `"${line}": ${fields.reason}` };
    split.push({ line, fields: fields.value });
  }
  const [only] = split;
  if (split.length === 1 && only && only.fields.every((field) => field.key === undefined)) {
    return {
      ok: true,
      value: only.fields
        .filter((field) => field.value !== '')
        .map((field) => ({ name: field.value.toLowerCase(), enable: true })),
    };
  }
  const images: ImageEntry[] = [];
  for (const { line, fields } of split) {
    const image = parseImageLine(line, fields);
    if (!image.ok) return image;
    images.push(image.value);
  }
  return { ok: true, value: images };
}

function parseImageLine(
  line: string,
  fields: { key: string | undefined; value: string }[],
): Parsed<ImageEntry> {
  let name: string | undefined;
  let enable = true;
  for (const { key, value } of fields) {
    if (key === undefined || key === 'name') {
      // metadata-action keeps the last name of a line; two names on one line are a mistake.
      if (name !== undefined) return { ok: false, reason: `"${line}" names two images; write one a line` };
      name = value.toLowerCase();
    } else if (key === 'enable') {
      if (value !== 'true' && value !== 'false') {
        return { ok: false, reason: `"${line}": enable "${value}" must be true or false` };
      }
      enable = value === 'true';
    } else {
      return { ok: false, reason: `"${line}": unknown attribute "${key}" (accepted: name, enable)` };
    }
  }
  if (!name) return { ok: false, reason: `"${line}" has no image name` };
  return { ok: true, value: { name, enable } };
}
