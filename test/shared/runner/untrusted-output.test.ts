import { describe, expect, it } from '@jest/globals';
import { untrustedLine } from '../../../shared/src/runner/untrusted-output.ts';
import { WorkflowCommands } from '../../support/runner/workflow-commands.ts';

/** Feeds text to the runner's command processor, as the step log would, and returns what it did. */
function runnerSees(text: string): WorkflowCommands {
  const commands = new WorkflowCommands({ debug: false, workspace: '/work', repository: 'org/app' });
  for (const line of text.replace(/\n$/, '').split('\n')) commands.processLine(line);
  return commands;
}

describe('untrustedLine', () => {
  it.each([
    '::error::the build is compromised',
    '  ::add-mask::hide-the-real-secret',
    '::stop-commands::silence-gantry',
    '::warning file=a.ts,line=1::fake',
  ])('keeps %j from acting as a workflow command, and still shows it', (line) => {
    const commands = runnerSees(`${untrustedLine(line)}${'::notice::after the program'}\n`);
    expect(commands.annotations).toEqual([{ level: 'notice', message: 'after the program', properties: {} }]);
    expect(commands.masks).toEqual([]);
    expect(commands.outputs).toEqual({});
    expect(commands.log).toContain(line);
  });

  it.each(['##[error]old-style command', '##[set-output name=digest;]sha256:forged'])(
    // The runner still parses the old `##[name]` form; the harness does not, so the wrapping is checked.
    'wraps the old command form %j between stop-commands markers',
    (line) => {
      const match = /^::stop-commands::([0-9a-f]{32})\n(.*)\n::([0-9a-f]{32})::\n$/.exec(untrustedLine(line));
      expect(match?.[2]).toBe(line);
      expect(match?.[1]).toBe(match?.[3]);
    },
  );

  it('prints an ordinary line as it is', () => {
    expect(untrustedLine('Step 3/7 : RUN npm ci :: done')).toBe('Step 3/7 : RUN npm ci :: done\n');
    expect(untrustedLine('')).toBe('\n');
  });

  it('uses a fresh token each time, so output cannot guess it and resume commands early', () => {
    const first = untrustedLine('::error::x').split('\n')[0];
    const second = untrustedLine('::error::x').split('\n')[0];
    expect(first).toMatch(/^::stop-commands::[0-9a-f]{32}$/);
    expect(first).not.toBe(second);
  });
});
