// Script errors on stderr, k6 style, each distinct message printed a few times
// and then only counted, so a failing endpoint cannot flood the terminal.
const MAX_PRINTED = 5;
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
              /^\s*at .*(file:|\/)/.test(l) &&
              !l.includes('/node_modules/') &&
              !l.includes('/harness/engine/') &&
              !l.includes('node:'),
          )
          .slice(0, 2)
          .map((l) => l.trim())
          .join(' ← ')
      : '';
  console.error(`ERRO ${message}${frames ? `  (${frames})` : ''}${context ? `  ${context}` : ''}`);
}
