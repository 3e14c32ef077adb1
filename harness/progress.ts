// Progress of a long command on stderr: each step as it starts, and its outcome and time when it ends.

/** Runs one step of a command, shown as it starts and when it ends. */
export async function step<T>(label: string, fn: () => Promise<T>, done?: (r: T) => string): Promise<T> {
  const started = performance.now();
  process.stderr.write(`▸ ${label}…\n`);
  const result = await fn();
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`  ${done ? `${done(result)} ` : ''}(${secs} s)\n`);
  return result;
}
