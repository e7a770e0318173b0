/**
 * One YAML scalar as kubectl reads it. kubectl decodes manifests with sigs.k8s.io/yaml over its
 * fork of go-yaml v2 (v2.4.0), into an untyped value: this is go-yaml v2's `resolve()` and the
 * untyped branch of its `decoder.scalar()`, followed rule by rule, with Go's strconv rules for the
 * number syntax (ParseInt and ParseUint with base 0: `0x`, `0o`, `0b` and a leading `0` for octal,
 * as Go has accepted since 1.13). Results that sigs.k8s.io/yaml cannot turn into JSON (NaN and
 * infinities), and integers JavaScript cannot hold exactly, come back as problems, not values.
 *
 * What YAML 1.1 parsers usually do and go-yaml v2 does not: base 60 numbers (`1:30` stays the
 * string "1:30"), and timestamps become no Date (an untyped value keeps the text as written).
 */
export type ScalarStyle = 'plain' | 'quoted' | 'block';

export type ResolvedScalar = { value: string | number | boolean | null } | { problem: string };

const TAG = 'tag:yaml.org,2002:';
const BOOLEANS = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map(
    (word) => [word, true] as const,
  ),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    (word) => [word, false] as const,
  ),
]);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = new Map<string, number>([
  ...['.nan', '.NaN', '.NAN'].map((word) => [word, NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((word) => [word, Infinity] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((word) => [word, -Infinity] as const),
]);
/** go-yaml's `yamlStyleFloat`: the only float syntax it hands to ParseFloat after the integers. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

type Resolved = { tag: 'null' | 'bool' | 'int' | 'float' | 'str'; value: unknown };

/** `tag` is the explicit tag in full (`tag:yaml.org,2002:int`, `!foo`), undefined for none. */
export function resolveScalar(text: string, style: ScalarStyle, tag: string | undefined): ResolvedScalar {
  const resolved = resolveTagged(text, style, tag);
  return 'problem' in resolved ? resolved : toJson(resolved, text);
}

/**
 * A mapping key as sigs.k8s.io/yaml turns it into a JSON key: strings as they are, integers in
 * decimal, booleans as "true"/"false", floats as Go's FormatFloat(key, 'g', -1, 32); null and
 * unsigned 64-bit keys are refused there ("Unsupported map key"), and here.
 */
export function resolveKey(text: string, style: ScalarStyle, tag: string | undefined): ResolvedKey {
  const resolved = resolveTagged(text, style, tag);
  if ('problem' in resolved) return resolved;
  switch (resolved.tag) {
    case 'null':
      return { problem: 'a null mapping key has no JSON form (kubectl refuses it too)' };
    case 'bool':
      return { key: String(resolved.value) };
    case 'int':
      if ((resolved.value as bigint) > INT64_MAX) {
        return { problem: `the key ${text} is an unsigned 64-bit integer, which kubectl refuses as a key` };
      }
      return { key: (resolved.value as bigint).toString() };
    case 'float':
      return { key: formatFloat32(resolved.value as number) };
    default:
      return { key: String(resolved.value) };
  }
}

export type ResolvedKey = { key: string } | { problem: string };

function resolveTagged(
  text: string,
  style: ScalarStyle,
  tag: string | undefined,
): Resolved | { problem: string } {
  // Quoted and block scalars without a tag are strings; so is anything with a tag go-yaml does not
  // resolve (`!`, `!foo`, `!!merge`): it keeps the text.
  if (!tag && style !== 'plain') return { tag: 'str', value: text };
  const short = tag?.startsWith(TAG) ? tag.slice(TAG.length) : tag;
  if (short === 'binary') return decodeBinary(text);
  if (short !== undefined && !['str', 'bool', 'int', 'float', 'null', 'timestamp'].includes(short)) {
    return { tag: 'str', value: text };
  }
  // An untyped timestamp keeps its text (decoder.scalar, "for backward compatibility").
  if (short === 'str' || short === 'timestamp') return { tag: 'str', value: text };
  const resolved = resolvePlain(text);
  if (short !== undefined && resolved.tag !== short) {
    if (!(short === 'float' && resolved.tag === 'int')) {
      return { problem: `cannot decode !!${resolved.tag} \`${text}\` as a !!${short}` };
    }
    resolved.tag = 'float';
    resolved.value = Number(resolved.value);
  }
  return resolved;
}

function resolvePlain(text: string): Resolved {
  const hint = text === '' ? 'N' : hintOf(text[0] as string);
  if (hint === undefined) return { tag: 'str', value: text };
  const boolean = BOOLEANS.get(text);
  if (boolean !== undefined) return { tag: 'bool', value: boolean };
  if (NULLS.has(text)) return { tag: 'null', value: null };
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return { tag: 'float', value: special };
  if (hint === '.') {
    const float = parseGoFloat(text);
    return float === undefined ? { tag: 'str', value: text } : { tag: 'float', value: float };
  }
  if (hint !== 'D' && hint !== 'S') return { tag: 'str', value: text };
  // go-yaml tries a timestamp first, but keeps an untyped one as its text: the same string the
  // fall-through below gives, so it needs no case of its own.
  const plain = text.replaceAll('_', '');
  const integer = parseGoInt(plain);
  if (integer !== undefined && integer >= INT64_MIN && integer <= INT64_MAX) {
    return { tag: 'int', value: integer };
  }
  if (integer !== undefined && integer >= 0n && integer <= UINT64_MAX && !/^[-+]/.test(plain)) {
    return { tag: 'int', value: integer };
  }
  if (YAML_STYLE_FLOAT.test(plain)) {
    const float = Number(plain);
    // Go's ParseFloat fails with ErrRange where JavaScript gives Infinity: the text stays a string.
    if (Number.isFinite(float)) return { tag: 'float', value: float };
  }
  return { tag: 'str', value: text };
}

function hintOf(first: string): 'S' | 'D' | 'M' | '.' | undefined {
  if (first === '+' || first === '-') return 'S';
  if (first >= '0' && first <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(first)) return 'M';
  if (first === '.') return '.';
  return undefined;
}

/** strconv.ParseInt(text, 0, 64)'s syntax (range checked by the caller), as a BigInt. */
function parseGoInt(text: string): bigint | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits = ''] = match;
  let magnitude: bigint;
  if (/^0[xXoObB]/.test(digits)) magnitude = BigInt(digits.toLowerCase());
  else if (digits.startsWith('0') && digits.length > 1) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits);
  return sign === '-' ? -magnitude : magnitude;
}

/** strconv.ParseFloat for text starting with a dot: decimal only (a leading dot rules out the rest). */
function parseGoFloat(text: string): number | undefined {
  if (!/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function toJson(resolved: Resolved, text: string): ResolvedScalar {
  const { tag, value } = resolved;
  if (tag === 'int') {
    const integer = value as bigint;
    if (integer > BigInt(Number.MAX_SAFE_INTEGER) || integer < BigInt(Number.MIN_SAFE_INTEGER)) {
      return {
        problem: `the integer ${text} is larger than Gantry can send exactly (2^53); quote it if it is a string`,
      };
    }
    return { value: Number(integer) };
  }
  if (tag === 'float' && !Number.isFinite(value as number)) {
    return { problem: `${text} (${String(value)}) has no JSON form, so kubectl refuses it too; quote it` };
  }
  return { value: value as string | number | boolean | null };
}

/** !!binary: the decoded bytes as a string, invalid UTF-8 replaced as Go's JSON encoder does. */
function decodeBinary(text: string): Resolved | { problem: string } {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    return { problem: '!!binary value contains invalid base64 data' };
  }
  return { tag: 'str', value: new TextDecoder('utf-8').decode(Buffer.from(compact, 'base64')) };
}

/** Go's strconv.FormatFloat(value, 'g', -1, 32): the shortest digits that identify the float32. */
export function formatFloat32(value: number): string {
  const single = Math.fround(value);
  if (Number.isNaN(single)) return '.nan';
  if (!Number.isFinite(single)) return single > 0 ? '.inf' : '-.inf';
  if (single === 0) return Object.is(single, -0) ? '-0' : '0';
  const magnitude = Math.abs(single);
  let exponential = magnitude.toExponential(8);
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = magnitude.toExponential(precision - 1);
    if (Math.fround(Number(candidate)) === magnitude) {
      exponential = candidate;
      break;
    }
  }
  const [mantissa = '', exponentText = '0'] = exponential.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  const exponent = Number(exponentText);
  const point = exponent + 1;
  // %g: %e when the exponent is below -4 or reaches the precision (6 for the shortest form,
  // fewer when every digit sits before the point).
  const precision = 6 > digits.length && digits.length >= point ? digits.length : 6;
  const sign = single < 0 ? '-' : '';
  if (exponent < -4 || exponent >= precision) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const absolute = Math.abs(exponent);
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${absolute < 10 ? '0' : ''}${absolute}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
