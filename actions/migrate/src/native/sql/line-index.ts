/** Byte offset -> line and column, by binary search over the offsets of the newlines. */
export class LineIndex {
  private readonly newlines: number[] = [];
  private readonly bytes: Buffer;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
    for (let offset = bytes.indexOf(10); offset >= 0; offset = bytes.indexOf(10, offset + 1)) {
      this.newlines.push(offset);
    }
  }

  /** 1-based: the number of newlines before `offset`, plus one. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.newlines.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.newlines[middle] as number) < offset) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  }

  /** 1-based, in characters. */
  columnAt(offset: number): number {
    const line = this.lineAt(offset);
    const start = line === 1 ? 0 : (this.newlines[line - 2] as number) + 1;
    return this.bytes.subarray(start, offset).toString('utf8').length + 1;
  }
}
