import { closeSync, constants, openSync, readSync } from 'node:fs';

/** A file's bytes: a range of a chunk that FileArena filled and that later files share. */
export interface FileBytes {
  chunk: Buffer;
  start: number;
  end: number;
}

/** Large enough that thousands of small migrations share a few chunks; allocated once each. */
const CHUNK_SIZE = 256 * 1024;

/**
 * Reads whole files one after the other into shared chunks: open, read, close, three system calls a
 * file where readFileSync makes four (a stat or a second read), and no buffer allocated per file.
 * For thousands of small migrations the system calls are most of the time it takes to load them.
 * The bytes stay where they were read, so a file that is never executed (one already applied) is
 * checksummed from them and never decoded into a string. Synchronous: fs/promises opens, reads and
 * closes each file in separate trips through the thread pool.
 */
export class FileArena {
  private chunk = Buffer.allocUnsafe(CHUNK_SIZE);
  private used = 0;

  read(file: string): FileBytes {
    // The flag as a number: 'r' is parsed again on every call otherwise.
    const fd = openSync(file, constants.O_RDONLY);
    try {
      let start = this.used;
      let end = start;
      for (;;) {
        if (end === this.chunk.length) {
          // The file does not fit in what is left: carry what was read into a fresh chunk. The old
          // chunk stays alive as long as the files read into it are held.
          const fresh = Buffer.allocUnsafe(Math.max(CHUNK_SIZE, 2 * (end - start)));
          this.chunk.copy(fresh, 0, start, end);
          this.chunk = fresh;
          end -= start;
          start = 0;
        }
        const wanted = this.chunk.length - end;
        const count = readSync(fd, this.chunk, end, wanted, null);
        end += count;
        // A regular file reads short only at its end.
        if (count < wanted) {
          this.used = end;
          return { chunk: this.chunk, start, end };
        }
      }
    } finally {
      closeSync(fd);
    }
  }
}
