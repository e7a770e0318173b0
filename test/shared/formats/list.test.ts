import { describe, expect, it } from '@jest/globals';
import {
  CsvError,
  MapEntryError,
  parseCsv,
  parseKeyValueMap,
  parseList,
} from '../../../shared/src/formats/list.ts';

describe('parseList', () => {
  it.each([
    ['newlines', 'a\nb\nc', ['a', 'b', 'c']],
    ['commas', 'a,b,c', ['a', 'b', 'c']],
    ['commas and newlines mixed', 'a, b\nc,d', ['a', 'b', 'c', 'd']],
    ['surrounding whitespace trimmed', '  a  ,\t b \n   c   ', ['a', 'b', 'c']],
    ['CRLF line ends', 'a\r\nb\r\nc\r\n', ['a', 'b', 'c']],
    ['empty items dropped', 'a,,b,\n\n,c,', ['a', 'b', 'c']],
    ['only separators', ' , \n , ', []],
    ['empty text', '', []],
    ['double-quoted item with a comma', '"a,b", c', ['a,b', 'c']],
    ['single-quoted item with a comma', "'a,b',c", ['a,b', 'c']],
    ['double quotes inside single quotes', `'say "hi", then go', x`, ['say "hi", then go', 'x']],
    ['single quotes inside double quotes', `"it's, fine", x`, ["it's, fine", 'x']],
    ['quoted item keeps inner whitespace', '"  spaced  "', ['  spaced  ']],
    ['quotes in the middle are kept', 'key="a,b",c', ['key="a,b"', 'c']],
    [
      'an apostrophe inside a word is text',
      "X-Name=O'Brien, Authorization=x",
      ["X-Name=O'Brien", 'Authorization=x'],
    ],
    ['a quote inside a word is text', 'say"hi,there', ['say"hi', 'there']],
    ['comment lines dropped', '# a comment\na\n  # indented comment\nb', ['a', 'b']],
    ['a # inside an item is kept', 'a#1,b # 2', ['a#1', 'b # 2']],
    ['CRLF with comments', '# c\r\na\r\n#d\r\nb', ['a', 'b']],
    ['empty quoted item dropped', '"",a', ['a']],
    ['a lone quote is kept as is', '"', ['"']],
    ['an unterminated quote swallows the rest of the line', '"a,b\nc', ['"a,b', 'c']],
    [
      'docker tags',
      'ghcr.io/o/app:1.2.3\nghcr.io/o/app:latest',
      ['ghcr.io/o/app:1.2.3', 'ghcr.io/o/app:latest'],
    ],
  ])('%s', (_label, text, expected) => {
    expect(parseList(text)).toEqual(expected);
  });
});

describe('parseKeyValueMap', () => {
  it.each([
    ['commas stay in values', 'LIST=a,b\nAUTHORS=Alice, Bob', { LIST: 'a,b', AUTHORS: 'Alice, Bob' }],
    ['a comma never separates entries', 'tok=abc,other=xyz', { tok: 'abc,other=xyz' }],
    ['comments, blank lines and quotes', '# c\n\n"A=1"\nB="x, y"\r\n', { A: '1', B: 'x, y' }],
  ])('one per line: %s', (_label, text, expected) => {
    expect(parseKeyValueMap(text, { perLine: true })).toEqual(expected);
  });

  it.each([
    ['newline separated', 'A=1\nB=2', { A: '1', B: '2' }],
    ['comma separated', 'A=1,B=2', { A: '1', B: '2' }],
    ['= in values kept (split at the first =)', 'URL=https://x/?a=1&b=2', { URL: 'https://x/?a=1&b=2' }],
    ['empty value allowed', 'EMPTY=', { EMPTY: '' }],
    ['whitespace around key and value trimmed', '  KEY  =  value  ', { KEY: 'value' }],
    ['quoted value with comma', 'LIST="a,b",X=1', { LIST: 'a,b', X: '1' }],
    ['single-quoted value with comma', "LIST='a,b'", { LIST: 'a,b' }],
    ['whole entry quoted', '"A=1,2"', { A: '1,2' }],
    ['comments and CRLF', '# build args\r\nA=1\r\n\r\nB=2', { A: '1', B: '2' }],
    ['empty text', '', {}],
    ['keys are case-sensitive', 'a=1\nA=2', { a: '1', A: '2' }],
  ])('%s', (_label, text, expected) => {
    expect(parseKeyValueMap(text)).toEqual(expected);
  });

  it.each([
    ['missing =', 'A=1\nJUSTAKEY', 'JUSTAKEY', 'expected key=value'],
    ['empty key', '=value', '=value', 'the key is empty'],
    ['empty key with spaces', '  = value', '= value', 'the key is empty'],
    ['duplicate key', 'A=1\nB=2\nA=3', 'A=3', 'the key "A" is given twice'],
    ['duplicate key after trimming', 'A=1, A =2', 'A =2', 'the key "A" is given twice'],
  ])('%s is rejected naming the entry', (_label, text, entry, reason) => {
    let caught: unknown;
    try {
      parseKeyValueMap(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MapEntryError);
    expect((caught as MapEntryError).entry).toBe(entry);
    expect((caught as MapEntryError).message).toBe(reason);
  });

  it('keeps keys that are names of Object.prototype members', () => {
    const map = parseKeyValueMap('__proto__=x\nconstructor=y\ntoString=z');
    expect(Object.keys(map)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(map['__proto__']).toBe('x');
    expect(map['constructor']).toBe('y');
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
  });
});

// Expectations worked out from csv-parse's documented rules for the options Docker's actions use
// (relax_column_count, skip_empty_lines; relax_quotes, comment '#' and comment_no_infix for input lists).
describe('parseCsv', () => {
  const LIST = { relaxQuotes: true, comment: '#', commentNoInfix: true };
  it.each([
    ['one record', 'type=semver,pattern={{version}}', {}, [['type=semver', 'pattern={{version}}']]],
    ['one record a line', 'a,b\nc', {}, [['a', 'b'], ['c']]],
    ['CRLF', 'a,b\r\nc\r\n', {}, [['a', 'b'], ['c']]],
    ['empty lines skipped', 'a\n\n\nb\n', {}, [['a'], ['b']]],
    ['fields are not trimmed', ' a , b ', {}, [[' a ', ' b ']]],
    ['empty fields kept', 'a,,b,', {}, [['a', '', 'b', '']]],
    ['a quoted field keeps commas', '"a,b",c', {}, [['a,b', 'c']]],
    ['doubled quotes are one quote', '"a ""b"" c"', {}, [['a "b" c']]],
    [
      "metadata-action's README rule with a comma in its pattern",
      '"type=match,""pattern=^release\\d{1,2}"""',
      LIST,
      [['type=match,"pattern=^release\\d{1,2}"']],
    ],
    ['a quoted field spans lines', '"a\nb",c\nd', {}, [['a\nb', 'c'], ['d']]],
    ['an empty quoted field is a record', '""', {}, [['']]],
    ['relaxed: a quote inside a field is text', 'value="a,b"', LIST, [['value="a', 'b"']]],
    ['relaxed: text after a closing quote keeps the quotes', '"a"b,c', LIST, [['"a"b', 'c']]],
    ['a comment line is skipped', '# c\na\n#d,e\nb', LIST, [['a'], ['b']]],
    ['comment_no_infix: # inside a record is text', 'a#1,#2', LIST, [['a#1', '#2']]],
    ['a # inside quotes is text', '"#a"', LIST, [['#a']]],
    ['without a comment character # is text', '#a', {}, [['#a']]],
    ['the first line break found is the only one', 'a\rb\nc', {}, [['a'], ['b\nc']]],
    ['empty text', '', {}, []],
  ])('%s', (_name, text, options, expected) => {
    expect(parseCsv(text, options)).toEqual(expected);
  });

  it.each([
    ['a quote inside an unquoted field (strict)', 'value="a,b"', 'a quote inside the field "value="'],
    ['text after a closing quote (strict)', '"a"b', 'is followed by "b" instead of a comma'],
    [
      'a quote never closed',
      '"type=match,pattern=x',
      'the quote that opens "type=match,pattern=x" is never closed',
    ],
  ])('refuses %s', (_name, text, reason) => {
    expect(() => parseCsv(text)).toThrow(CsvError);
    expect(() => parseCsv(text)).toThrow(reason);
  });

  it('refuses an unclosed quote even when relaxed', () => {
    expect(() => parseCsv('a,"b', LIST)).toThrow('is never closed');
  });
});
