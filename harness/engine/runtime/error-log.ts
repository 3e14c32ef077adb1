// Script errors on stderr, k6 style, each distinct message printed a few times
// and then only counted, so a failing endpoint cannot flood the terminal.
import { fileURLToPath } from 'node:url';

const MAX_PRINTED = 5;
/** The engine's own frames are left out; the scripts its tests run (under testing/) are the user's. */
const engineDir = fileURLToPath(new URL('../', import.meta.url));
const engineFrame = (line: string): boolean => line.includes(engineDir) && !line.includes(`${engineDir}testing/`);
const seen = new Map<string, number>();

export function logScriptError(err: unknown, context = ''): void {
  const message = err instanceof Error ? err.message : String(err);
  const n = seen.get(message) ?? 0;
  seen.set(message, n + 1);
  if (n > MAX_PRINTED) return;
  if (n === MAX_PRINTED) {
    console.error(`ERRO further '${message}' errors are counted, not printed`);
    return;
  }
  const frames =
    err instanceof Error && err.stack
      ? err.stack
          .split('\n')
          .filter(
            (l) =>
              /^\s*at .*(file:|\/)/.test(l) && !l.includes('/node_modules/') && !engineFrame(l) && !l.includes('node:'),
          )
          .slice(0, 2)
          // A VU's own copy of a script module is the file with ?vu=N.
          .map((l) => l.trim().replace(/\?vu=\d+/, ''))
          .join(' ← ')
      : '';
  console.error(`ERRO ${message}${frames ? `  (${frames})` : ''}${context ? `  ${context}` : ''}`);
}
