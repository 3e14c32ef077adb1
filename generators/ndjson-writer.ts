// Buffered NDJSON file output with back-pressure: lines are encoded straight
// into a large byte chunk (text, or bytes encoded beforehand), and full chunks
// go to the file stream; when the stream's buffer is full the producer awaits
// `drained()` before generating more, so memory stays flat.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const CHUNK_BYTES = 1 << 20;

export class NdjsonWriter {
  private readonly stream: WriteStream;
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  /** Chunks the stream has finished with, reused so large buffers are not churned through the GC. */
  private readonly free: Buffer[] = [];
  private offset = 0;
  private waiting: Promise<unknown> | undefined;
  lines = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  /** Appends one JSON line (a value, or an already serialised line). */
  write(value: unknown): void {
    this.writeLine(typeof value === 'string' ? value : JSON.stringify(value));
  }

  writeLine(json: string): void {
    this.text(json);
    this.endLine();
  }

  /** Appends text to the current line. */
  text(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.reserve(s.length * 3);
    this.offset += this.chunk.write(s, this.offset, 'utf8');
  }

  /** Appends UTF-8 bytes to the current line. */
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.chunk.set(b, this.offset);
    this.offset += b.length;
  }

  endLine(): void {
    this.reserve(1);
    this.chunk[this.offset++] = 0x0a;
    this.lines++;
  }

  /** Room for `bytes` more; a line may span chunks, the file is one byte stream. */
  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.chunk.length) return;
    this.flush();
    if (bytes > this.chunk.length) this.chunk = Buffer.allocUnsafe(bytes);
  }

  private flush(): void {
    if (this.offset === 0) return;
    const full = this.chunk;
    const ok = this.stream.write(full.subarray(0, this.offset), () => {
      if (full.length === CHUNK_BYTES) this.free.push(full);
    });
    this.chunk = this.free.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    this.offset = 0;
    if (!ok && !this.waiting) this.waiting = once(this.stream, 'drain').finally(() => (this.waiting = undefined));
  }

  /** Whether the producer should await `drained()` before writing more. */
  get congested(): boolean {
    return this.waiting !== undefined;
  }

  drained(): Promise<unknown> {
    return this.waiting ?? Promise.resolve();
  }

  async close(): Promise<void> {
    this.flush();
    await this.drained();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
