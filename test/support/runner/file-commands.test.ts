import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { FileCommand } from './environment.ts';
import { parseKeyValueFile, parsePathFile, processFileCommands } from './file-commands.ts';
import { WorkflowCommands } from './workflow-commands.ts';

describe('parseKeyValueFile', () => {
  it('reads name=value lines and heredocs, the later value winning', () => {
    const text = 'a=1\n\nb<<EOF\nline 1\n\nline 3\nEOF\nc=x=y\na=2\nempty<<END\nEND\n';
    expect(parseKeyValueFile(text)).toEqual({ a: '2', b: 'line 1\n\nline 3', c: 'x=y', empty: '' });
  });

  it('uses whichever of = and << comes first', () => {
    expect(parseKeyValueFile('a=b<<c\nd<<=\nv\n=\n')).toEqual({ a: 'b<<c', d: 'v' });
  });

  it('keeps a CR in values, as the runner does on Linux', () => {
    expect(parseKeyValueFile('a=1\r\n')).toEqual({ a: '1\r' });
  });

  it.each([
    ['broken<<EOF\nvalue\n', "Invalid value. Matching delimiter not found 'EOF'"],
    ['<<EOF\nEOF\n', "Invalid format '<<EOF'. Name must not be empty and delimiter must not be empty"],
    ['=value\n', "Invalid format '=value'. Name must not be empty"],
    ['no separator\n', "Invalid format 'no separator'"],
  ])('rejects %j', (text, message) => {
    expect(() => parseKeyValueFile(text)).toThrow(message);
  });
});

describe('parsePathFile', () => {
  it('lists directories in the order added, moving a repeated one to the end', () => {
    expect(parsePathFile('/a\n/b\r\n\n/a\n')).toEqual(['/b', '/a']);
  });
});

describe('processFileCommands', () => {
  const processFiles = async (contents: Partial<Record<FileCommand, string>>, commands: WorkflowCommands) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'file-commands-'));
    try {
      const names: FileCommand[] = [
        'GITHUB_OUTPUT',
        'GITHUB_STATE',
        'GITHUB_ENV',
        'GITHUB_PATH',
        'GITHUB_STEP_SUMMARY',
      ];
      const files = Object.fromEntries(names.map((name) => [name, path.join(dir, name)])) as Record<
        FileCommand,
        string
      >;
      await Promise.all(names.map((name) => writeFile(files[name], contents[name] ?? '')));
      return await processFileCommands(files, commands);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const newCommands = () => new WorkflowCommands({ debug: false, workspace: '/ws', repository: 'o/r' });

  it('lets the files override values set by the deprecated commands', async () => {
    const commands = newCommands();
    commands.processLine('::set-output name=a::from command');
    commands.processLine('::set-output name=b::kept');
    const { effects } = await processFiles({ GITHUB_OUTPUT: 'a=from file\n' }, commands);
    expect(effects.outputs).toEqual({ a: 'from file', b: 'kept' });
  });

  it('reports a summary over 1 MiB as the runner does, without failing the step', async () => {
    const commands = newCommands();
    const { summary } = await processFiles({ GITHUB_STEP_SUMMARY: 'x'.repeat(1024 * 1024 + 2048) }, commands);
    expect(summary).toHaveLength(1024 * 1024 + 2048);
    expect(commands.annotations[0]?.message).toMatch(
      /^\$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k, got 1026k\./,
    );
    expect(commands.failed).toBe(false);
  });
});
