import { createHash } from 'node:crypto';
import { Transform, type Writable } from 'node:stream';

/**
 * Small transforms the backup streams pass through: a SHA-256 and byte count of what flows, a
 * gate that holds the end of a program's output until the program's exit code is known, and a tap
 * that copies the flow into a second consumer (a verifying pg_restore) with its backpressure.
 */

export class Digest extends Transform {
  sizeBytes = 0;
  private readonly hash = createHash('sha256');

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.hash.update(chunk);
    this.sizeBytes += chunk.length;
    this.push(chunk);
    callback();
  }

  /** Hex; call once, after the stream has ended. */
  sha256(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Passes a program's stdout on, but ends only once `exited` resolves, and errors when it rejects:
 * the reader (an S3 upload) never sees a clean end of a dump whose program failed, however much
 * output came before the failure.
 */
export class ExitGate extends Transform {
  private readonly exited: Promise<unknown>;

  constructor(exited: Promise<unknown>) {
    super();
    this.exited = exited;
  }

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null, data?: Buffer) => void,
  ): void {
    callback(null, chunk);
  }

  override _flush(callback: (error?: Error | null) => void): void {
    this.exited.then(
      () => callback(),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }
}

/**
 * Copies every chunk into `copy` as well, waiting when it is full. When the copy's reader stops
 * early (pg_restore --list reads only the table of contents, then exits), the rest flows on alone:
 * whether that reader succeeded is its exit code's business.
 */
export class Tee extends Transform {
  private readonly copy: Writable;
  private open = true;

  constructor(copy: Writable) {
    super();
    this.copy = copy;
    const close = (): void => {
      this.open = false;
    };
    copy.on('close', close);
    copy.on('error', close);
  }

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null, data?: Buffer) => void,
  ): void {
    if (!this.open || this.copy.write(chunk)) return callback(null, chunk);
    const resume = (): void => {
      this.copy.off('drain', resume);
      this.copy.off('close', resume);
      callback(null, chunk);
    };
    this.copy.on('drain', resume);
    this.copy.on('close', resume);
  }

  override _flush(callback: () => void): void {
    if (this.open) this.copy.end();
    callback();
  }

  /** A failed flow must not leave the copy's reader waiting for more. */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.open && error) this.copy.destroy();
    callback(error);
  }
}
