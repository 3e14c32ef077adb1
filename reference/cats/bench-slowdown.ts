// For benches only: a deliberate, measurable slowdown of one kind of request, so that a
// performance gate can be shown to catch a known regression. Off unless the environment
// sets CATS_NODE_SLOWDOWN_<NAME> to a fraction (0.2 = each call burns 20 % of its own
// handling time more on the CPU). Never set in a deployment.

const PREFIX = 'CATS_NODE_SLOWDOWN_';

/** The fraction asked for in the environment; 0 when unset. Throws on anything but a number in [0, 10]. */
export function slowdownFactor(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[`${PREFIX}${name}`];
  if (raw === undefined || raw === '') return 0;
  const factor = Number(raw);
  if (!Number.isFinite(factor) || factor < 0 || factor > 10)
    throw new Error(`${PREFIX}${name} must be a fraction between 0 and 10 (0.2 = 20 % slower), got '${raw}'`);
  return factor;
}

function burn(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/**
 * `fn` slowed by `factor`: after each call, settled or thrown, the event loop is kept busy
 * for `factor` × the call's own duration. The same function when the factor is 0.
 */
export function slowedDown<A extends unknown[], R>(factor: number, fn: (...args: A) => Promise<R>) {
  if (factor === 0) return fn;
  return async (...args: A): Promise<R> => {
    const started = performance.now();
    try {
      return await fn(...args);
    } finally {
      burn((performance.now() - started) * factor);
    }
  };
}
