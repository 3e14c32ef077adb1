// The `k6` module: check, group, sleep, fail, randomSeed.
import { builtin, type Tags } from '../metrics/metric.ts';
import { engine } from '../runtime/engine-state.ts';
import { currentVu, InitContextError, type VuState } from '../runtime/vu-context.ts';

// Tag sets derived from a VU's tags, reused while the VU's tags stay the same
// object: fewer allocations per check, and the registry sees stable objects.
const derived = { check: new WeakMap<Tags, Map<string, Tags>>(), group: new WeakMap<Tags, Map<string, Tags>>() };
function withTag(base: Tags, key: 'check' | 'group', value: string): Tags {
  let byValue = derived[key].get(base);
  if (!byValue) derived[key].set(base, (byValue = new Map()));
  let tags = byValue.get(value);
  if (!tags) byValue.set(value, (tags = Object.freeze({ ...base, [key]: value })));
  return tags;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    !!v && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function'
  );
}

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === 'function' && fn.constructor?.name === 'AsyncFunction';
}

/** Runs each named check against `value`; one `checks` sample per check, tagged `check=<name>`. */
export function check<T>(value: T, checks: Record<string, boolean | ((v: T) => unknown)>, tags?: Tags): boolean {
  const vu = currentVu();
  if (!vu) throw new InitContextError('check()');
  let all = true;
  for (const name in checks) {
    if (!Object.hasOwn(checks, name)) continue;
    const c = checks[name];
    if (name.includes('::')) throw new Error(`check name '${name}' must not contain '::'`);
    if (isAsyncFunction(c))
      throw new Error(
        `check '${name}': async functions are not supported (as in k6); await the value first, then check it`,
      );
    let pass: boolean;
    let thrown: unknown;
    let failed = false;
    try {
      const r = typeof c === 'function' ? c(value) : c;
      if (isThenable(r)) throw new Error(`check '${name}' returned a Promise: await the value first, then check it`);
      pass = !!r;
    } catch (err) {
      pass = false;
      thrown = err;
      failed = true;
    }
    const sampleTags = tags ? { ...vu.tags, ...tags, check: name } : withTag(vu.tags, 'check', name);
    vu.sink.add(builtin.checks, pass ? 1 : 0, sampleTags);
    engine.registry.recordCheck(vu.group, name, pass);
    if (failed) throw thrown;
    if (!pass) all = false;
  }
  return all;
}

function enterGroup(name: string, fn: unknown): { vu: VuState; outerGroup: string; outerTags: Tags; start: number } {
  const vu = currentVu();
  if (!vu) throw new InitContextError('group()');
  if (typeof name !== 'string' || !name) throw new Error('group(name, fn): name must be a non-empty string');
  if (name.includes('::')) throw new Error(`group name '${name}' must not contain '::'`);
  if (typeof fn !== 'function') throw new TypeError(`group '${name}': the second argument must be a function`);
  const outer = { vu, outerGroup: vu.group, outerTags: vu.tags, start: 0 };
  vu.group = `${outer.outerGroup}::${name}`;
  vu.tags = withTag(outer.outerTags, 'group', vu.group);
  engine.registry.recordGroup(vu.group);
  outer.start = performance.now();
  return outer;
}

function leaveGroup({ vu, outerGroup, outerTags, start }: ReturnType<typeof enterGroup>): void {
  vu.sink.add(builtin.group_duration, performance.now() - start, vu.tags);
  vu.group = outerGroup;
  vu.tags = outerTags;
}

/** Runs `fn` inside a named group (tag `group=::outer::inner`) and records `group_duration`. */
export function group<T>(name: string, fn: () => T): T {
  if (isAsyncFunction(fn)) throw new Error(`group '${name}': async functions are not supported (as in k6)`);
  const g = enterGroup(name, fn);
  try {
    const r = fn();
    if (isThenable(r))
      throw new Error(`group '${name}' returned a Promise: async functions are not supported (as in k6)`);
    return r;
  } finally {
    leaveGroup(g);
  }
}

/**
 * `group()` as the loaded script calls it when its callback makes blocking calls (runtime/sync-transform.ts
 * awaits it): the group lasts until the callback's last request is answered, as it does in k6.
 */
export async function groupBlocking<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const g = enterGroup(name, fn);
  try {
    return await fn();
  } finally {
    leaveGroup(g);
  }
}

/**
 * Node cannot block, so `sleep` returns a Promise: write `await sleep(1)`, which
 * also works in k6 (awaiting a non-Promise is harmless there). An iteration that
 * ends while one of its sleeps is still pending did not await it; the engine
 * stops the test with an error naming `await sleep()`.
 */
export function sleep(seconds: number): Promise<void> {
  const vu = currentVu();
  const ms = Math.max(0, Number(seconds) * 1000);
  if (!Number.isFinite(ms)) return Promise.reject(new TypeError(`sleep(${seconds}): expected a number of seconds`));
  if (!vu) return new Promise((resolve) => setTimeout(resolve, ms));
  engine.pendingSleeps.set(vu, (engine.pendingSleeps.get(vu) ?? 0) + 1);
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      vu.signal.removeEventListener('abort', done);
      engine.pendingSleeps.set(vu, (engine.pendingSleeps.get(vu) ?? 1) - 1);
      resolve();
    };
    const timer = setTimeout(done, ms);
    vu.signal.addEventListener('abort', done, { once: true });
  });
}

export function fail(message?: string): never {
  throw new Error(message ?? 'fail() was called');
}

/** Makes Math.random reproducible from `seed` (mulberry32), as k6's randomSeed does. */
export function randomSeed(seed: number): void {
  let a = Math.trunc(Number(seed)) >>> 0;
  Math.random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export default { check, group, sleep, fail, randomSeed };
