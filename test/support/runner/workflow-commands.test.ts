import { describe, expect, it } from '@jest/globals';
import { parseCommand, WorkflowCommands } from './workflow-commands.ts';

const processAll = (lines: string[], debug = false): WorkflowCommands => {
  const commands = new WorkflowCommands({ debug, workspace: '/work/ws', repository: 'o/r' });
  lines.forEach((line) => commands.processLine(line));
  return commands;
};

describe('parseCommand', () => {
  const names = new Set(['error', 'set-output']);

  it('reads name, properties and data, unescaping both as the runner does', () => {
    expect(
      parseCommand('  ::ERROR file=a.ts,title=x%3Ay%2Cz%25,line=3::50%25 done%0Anext%0D', names),
    ).toEqual({
      name: 'error',
      properties: { file: 'a.ts', title: 'x:y,z%', line: '3' },
      data: '50% done\nnext\r',
    });
  });

  it('unescapes %25 last, so an escaped escape stays literal', () => {
    expect(parseCommand('::error::%250A', names)?.data).toBe('%0A');
  });

  it('drops properties with an empty key or value and keeps = inside values', () => {
    expect(parseCommand('::set-output name=a=b,=x,empty=,::v', names)?.properties).toEqual({ name: 'a=b' });
  });

  it('ignores unknown commands and lines without the second ::', () => {
    expect(parseCommand('::unknown::x', names)).toBeUndefined();
    expect(parseCommand('::error no end', names)).toBeUndefined();
    expect(parseCommand('text ::error::x', names)).toBeUndefined();
  });
});

describe('WorkflowCommands', () => {
  it('keeps the first 10 annotations of a level and logs the rest', () => {
    const commands = processAll(Array.from({ length: 12 }, (_, i) => `::warning::w${i}`));
    expect(commands.annotations).toHaveLength(10);
    expect(commands.log.split('\n')).toHaveLength(12);
    expect(commands.log).toContain('Warning: w11');
  });

  it('cuts annotation messages at 4096 characters but logs them whole', () => {
    const commands = processAll([`::error::${'x'.repeat(5000)}`]);
    expect(commands.annotations[0]?.message).toHaveLength(4096);
    expect(commands.log).toHaveLength('Error: '.length + 5000);
  });

  it('shows ::debug:: lines and echoes commands only with step debug on', () => {
    const lines = ['::debug::detail', '::set-output name=a::1', '::add-mask::hidden'];
    expect(processAll(lines).log).not.toContain('detail');
    const debug = processAll(lines, true).log;
    expect(debug).toContain('##[debug]detail');
    expect(debug).toContain('::set-output name=a::1');
    expect(debug).toContain('::add-mask::***');
    expect(debug).not.toContain('hidden');
  });

  it('fails the step on a command the runner rejects, whatever the exit code', () => {
    const commands = processAll(['::set-output::no name']);
    expect(commands.failed).toBe(true);
    expect(commands.annotations.map((a) => a.message)).toContain(
      "Required field 'name' is missing in ##[set-output] command.",
    );
  });

  it('rejects a stop-commands token that is itself a command', () => {
    const commands = processAll(['::stop-commands::error', '::error::still processed']);
    expect(commands.failed).toBe(true);
    expect(commands.annotations.at(-1)?.message).toBe('still processed');
  });

  it('warns about an empty add-mask instead of recording it', () => {
    const commands = processAll(['::add-mask::  ']);
    expect(commands.masks).toEqual([]);
    expect(commands.annotations[0]?.level).toBe('warning');
  });

  it('makes annotation files under the workspace repository-relative', () => {
    const commands = processAll(['::error file=/work/ws/src/a.ts::x', '::error file=/elsewhere/b.ts::y']);
    expect(commands.annotations.map((a) => a.properties)).toEqual([
      { file: 'src/a.ts', repo: 'o/r' },
      { file: '/elsewhere/b.ts' },
    ]);
  });
});
