import { describe, expect, it } from '@jest/globals';
import {
  compileTemplate,
  renderTemplate,
  TemplateError,
} from '../../../actions/build-push/src/metadata/template.ts';

const HELPERS = { branch: 'value', date: 'date' } as const;
const SCOPE = { values: { branch: 'main' }, dates: { date: new Date('2020-01-10T00:30:00Z') } };

describe('templates', () => {
  it.each([
    ['plain text', 'plain text'],
    ['', ''],
    ['{{branch}}', 'main'],
    ['{{ branch }}-x', 'main-x'],
    ["a{{date 'YYYY'}}b{{branch}}c", 'a2020bmainc'],
    ['{{date "MM}}DD"}}', '01}}10'],
    ['{{date \'HH:mm\' tz="Asia/Tokyo"}}', '09:30'],
    ['{single} braces }}', '{single} braces }}'],
  ])('%j renders %j', (source, expected) => {
    expect(renderTemplate(compileTemplate(source, HELPERS), SCOPE)).toBe(expected);
  });

  it('escapes output as Handlebars does', () => {
    const template = compileTemplate('{{branch}}', HELPERS);
    expect(renderTemplate(template, { ...SCOPE, values: { branch: `a&b<c>"d'e\`f=g` } })).toBe(
      'a&amp;b&lt;c&gt;&quot;d&#x27;e&#x60;f&#x3D;g',
    );
  });

  it.each([
    ['{{}}', 'is not a known expression here (accepted: {{branch}}, {{date}})'],
    ['{{{branch}}}', 'triple braces are not supported'],
    ['{{date }}', 'needs exactly one quoted format'],
    ["{{date 'a' 'b'}}", 'needs exactly one quoted format'],
    ["{{date 'YYYY}}", 'is not closed by "}}"'],
    ["{{date 'YYYY' tz=}}", "tz= needs a quoted value, as in tz='UTC'"],
    ["{{date 'YYYY' tz=Asia/Tokyo}}", "tz= needs a quoted value, as in tz='Asia/Tokyo'"],
  ])('%s is refused', (source, reason) => {
    expect(() => compileTemplate(source, HELPERS)).toThrow(TemplateError);
    expect(() => compileTemplate(source, HELPERS)).toThrow(reason);
  });
});
