// The moment the engine's scenarios start (after init and setup(), which may take
// seconds), seen from outside the engine: its live progress line, which it draws
// from the start when its stderr is a terminal. This stream presents itself as
// one, calls `onStart` at the first progress line, and passes everything on to
// the real stderr: as it is to a terminal, else as plain lines every 10 s, as the
// engine writes them to a file.
import { Writable } from 'node:stream';

const REDRAW = '\r\x1b[2K';
const PLAIN_EVERY_MS = 10_000;

export function engineStartWatch(
  target: NodeJS.WriteStream,
  onStart: () => void,
): NodeJS.WritableStream & { isTTY: boolean; columns: number } {
  let started = false;
  let lastPlain = 0;
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const text = String(chunk);
      const progress = text.startsWith(REDRAW);
      if (progress && !started) {
        started = true;
        lastPlain = Date.now();
        onStart();
      }
      if (target.isTTY || !progress) target.write(text);
      else {
        const line = text.slice(REDRAW.length);
        // The last line (the engine ends it with a newline) always passes.
        if (line.endsWith('\n')) target.write(line);
        else if (Date.now() - lastPlain >= PLAIN_EVERY_MS) {
          lastPlain = Date.now();
          target.write(`${line}\n`);
        }
      }
      done();
    },
  });
  return Object.assign(stream, { isTTY: true, columns: target.columns || 160 });
}
