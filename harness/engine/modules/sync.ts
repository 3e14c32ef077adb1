// What a script rewritten for k6's blocking API (runtime/sync-transform.ts) calls in place of the blocking
// forms: requests, groups with blocking callbacks, and array callbacks that block, each awaited in turn.
import * as blocking from './http/blocking.ts';
import { groupBlocking } from './k6.ts';

export const http = blocking;
export const group = groupBlocking;

type Callback = (...args: unknown[]) => unknown;

function isList(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * `list.forEach(fn)`, `list.map(fn)`, … when `fn` blocks: the same result as the array method, calling `fn`
 * on each element in turn and waiting for it before the next, as k6 does.
 */
export async function each(list: unknown, method: string, fn: Callback, ...rest: unknown[]): Promise<unknown> {
  if (typeof fn !== 'function') throw new TypeError(`${method}: ${String(fn)} is not a function`);
  if (method === 'forEach' && (list instanceof Map || list instanceof Set)) {
    for (const [k, v] of [...list.entries()]) await fn.call(rest[0], v, k, list);
    return undefined;
  }
  if (!isList(list))
    throw new TypeError(
      `${method}() with a callback that makes blocking calls works on arrays (and forEach on Map and Set), not on ${Object.prototype.toString.call(list)}`,
    );
  const a = list;
  const n = a.length;
  const thisArg = rest[0];
  const at = (i: number): Promise<unknown> => Promise.resolve(fn.call(thisArg, a[i], i, a));
  switch (method) {
    case 'forEach':
      for (let i = 0; i < n; i++) if (i in a) await at(i);
      return undefined;
    case 'map': {
      const out = new Array(n);
      for (let i = 0; i < n; i++) if (i in a) out[i] = await at(i);
      return out;
    }
    case 'flatMap': {
      const out: unknown[] = [];
      for (let i = 0; i < n; i++)
        if (i in a) {
          const r = await at(i);
          if (Array.isArray(r)) out.push(...r);
          else out.push(r);
        }
      return out;
    }
    case 'filter': {
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) if (i in a && (await at(i))) out.push(a[i]);
      return out;
    }
    case 'some':
      for (let i = 0; i < n; i++) if (i in a && (await at(i))) return true;
      return false;
    case 'every':
      for (let i = 0; i < n; i++) if (i in a && !(await at(i))) return false;
      return true;
    case 'find':
      for (let i = 0; i < n; i++) if (await at(i)) return a[i];
      return undefined;
    case 'findIndex':
      for (let i = 0; i < n; i++) if (await at(i)) return i;
      return -1;
    case 'findLast':
      for (let i = n - 1; i >= 0; i--) if (await at(i)) return a[i];
      return undefined;
    case 'findLastIndex':
      for (let i = n - 1; i >= 0; i--) if (await at(i)) return i;
      return -1;
    case 'reduce':
    case 'reduceRight': {
      const indexes = [...Array(n).keys()].filter((i) => i in a);
      if (method === 'reduceRight') indexes.reverse();
      let acc: unknown;
      if (rest.length > 0) acc = rest[0];
      else if (indexes.length === 0) throw new TypeError(`${method} of empty array with no initial value`);
      else acc = a[indexes.shift()!];
      for (const i of indexes) acc = await fn(acc, a[i], i, a);
      return acc;
    }
    default:
      throw new TypeError(`${method}() is not an array method the engine waits in`);
  }
}
