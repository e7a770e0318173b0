import { untrustedLine } from '../runner/untrusted-output.ts';

/**
 * The last lines of a container's output, kept for the failure message and the job summary while
 * every line goes straight to the step log: memory stays bounded however much the program prints.
 */
export class LogTail {
  private readonly lines: string[] = [];
  private readonly limit: number;
  /** Lines seen in all. */
  count = 0;

  constructor(limit = 30) {
    this.limit = limit;
  }

  /** A whole line of output: printed to the step log, kept in the tail. */
  line(text: string): void {
    this.count++;
    process.stdout.write(untrustedLine(text));
    this.lines.push(text);
    if (this.lines.length > this.limit) this.lines.shift();
  }

  text(): string {
    return this.lines.join('\n');
  }

  /** For failure messages: the tail, indented, or a note that there was none. */
  describe(): string {
    if (this.count === 0) return 'It wrote nothing to its log.';
    const shown = this.lines.length < this.count ? `last ${this.lines.length} of ${this.count} lines` : 'log';
    return `Its ${shown}:\n${this.lines.map((line) => `  ${line}`).join('\n')}`;
  }
}
