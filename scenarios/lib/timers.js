// setTimeout and clearTimeout on every k6 from v0.49: v0.49 has them only in
// k6/experimental/timers, later versions in k6/timers and then as globals, after which
// the experimental module was removed. A static import of either module would tie the
// scenarios to one side of that change; the global, where there is one, and k6's
// init-time require otherwise do not.

/** @type {{ setTimeout: typeof import('k6/timers').setTimeout, clearTimeout: typeof import('k6/timers').clearTimeout }} */
const timers =
  typeof (/** @type {any} */ (globalThis).setTimeout) === 'function'
    ? /** @type {any} */ (globalThis)
    : // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import fails on every k6 without the module
      require('k6/experimental/timers');

export const setTimeout = timers.setTimeout;
export const clearTimeout = timers.clearTimeout;
