import { describe, expect, it } from '@jest/globals';
import { MapEntryError, parseKeyValueMap, parseList } from '../../shared/src/list.ts';

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
