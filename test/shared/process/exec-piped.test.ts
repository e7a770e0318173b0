import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DeadlineExceededError } from '../../../shared/src/errors.ts';
import { ExecError, spawnPiped } from '../../../shared/src/process/exec.ts';
import { capture, type Captured } from '../helpers.ts';

/** spawnPiped: exec's conventions for a program whose stdout (or stdin) is a data stream. */

const NODE = process.execPath;
let stdout: Captured;
let stderr: Captured;

beforeEach(() => {
  stdout = capture(process.stdout);
  stderr = capture(process.stderr);
});
afterEach(() => {
  stdout.restore();
  stderr.restore();
});

function collect(): Writable & { chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  }) as Writable & { chunks: Buffer[] };
  sink.chunks = chunks;
  return sink;
}

describe('spawnPiped', () => {
  it('hands over stdout as raw bytes, never echoed, and echoes the command line', async () => {
    const script = 'process.stdout.write(Buffer.from([0, 255, 10, 58, 58])); console.error("note")';
    const run = spawnPiped(NODE, ['-e', script]);
    const sink = collect();
    await pipeline(run.stdout, sink);
    await expect(run.done).resolves.toMatchObject({ exitCode: 0, stderrTail: ['note'] });
    expect(Buffer.concat(sink.chunks)).toEqual(Buffer.from([0, 255, 10, 58, 58]));
    expect(stdout.text()).toContain(`[command]${NODE} -e`);
    expect(stdout.text()).not.toContain('\u00ff');
    expect(stderr.text()).toContain('note');
  });

  it('streams stdin in and rejects on a non-zero exit with the stderr tail', async () => {
    const script =
      'let n = 0; process.stdin.on("data", (c) => (n += c.length)); process.stdin.on("end", () => { console.error(`read ${n}`); process.exit(3); })';
    const run = spawnPiped(NODE, ['-e', script], { stdin: 'pipe' });
    run.stdout.resume();
    run.stdin?.end(Buffer.alloc(100_000));
    const error = await run.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect((error as ExecError).exitCode).toBe(3);
    expect((error as ExecError).message).toMatch(/exited with code 3:\nread 100000/);
  });

  it('masks secrets in the echoed command line and the error', async () => {
    const run = spawnPiped(
      NODE,
      ['-e', 'console.error("token piped-secret-42"); process.exit(1)', 'piped-secret-42'],
      {
        secrets: ['piped-secret-42'],
      },
    );
    run.stdout.resume();
    const error = (await run.done.catch((e: unknown) => e)) as ExecError;
    expect(error.message).not.toContain('piped-secret-42');
    expect(stdout.text().replace(/^::add-mask::.*\n/gm, '')).not.toContain('piped-secret-42');
  });

  it('is killed when its signal aborts, and rejects with the reason', async () => {
    const controller = new AbortController();
    const run = spawnPiped(NODE, ['-e', 'setInterval(() => process.stdout.write("x"), 10)'], {
      signal: controller.signal,
    });
    run.stdout.once('data', () => controller.abort(new DeadlineExceededError('deadline passed')));
    run.stdout.resume();
    await expect(run.done).rejects.toBeInstanceOf(DeadlineExceededError);
  });
});
