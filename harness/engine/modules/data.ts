// The `k6/data` module: SharedArray, built once per name per engine thread,
// elements kept as JSON and parsed on each access (so VUs never share mutations).
import { inInitContext } from '../runtime/engine-state.ts';
import { currentVu } from '../runtime/vu-context.ts';

const store = new Map<string, string[]>();

export class SharedArray {
  constructor(name: string, fn: () => unknown[]) {
    if (!inInitContext(currentVu())) throw new Error('SharedArray can only be created in the init context');
    if (typeof name !== 'string' || !name)
      throw new TypeError('SharedArray(name, fn): name must be a non-empty string');
    if (typeof fn !== 'function')
      throw new TypeError('SharedArray(name, fn): fn must be a function returning an array');
    if (fn.constructor?.name === 'AsyncFunction')
      throw new TypeError(`SharedArray '${name}': the function must be synchronous`);
    let items = store.get(name);
    if (!items) {
      const arr = fn();
      if (!Array.isArray(arr)) throw new TypeError(`SharedArray '${name}': the function must return an array`);
      items = arr.map((x) => JSON.stringify(x));
      store.set(name, items);
    }
    const list = items;
    const parse = (i: number): unknown => (list[i] === undefined ? undefined : JSON.parse(list[i]));
    return new Proxy(this, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) return parse(Number(prop));
        if (prop === 'length') return list.length;
        if (prop === Symbol.iterator)
          return function* () {
            for (let i = 0; i < list.length; i++) yield parse(i);
          };
        return Reflect.get(target, prop, receiver);
      },
      set() {
        throw new TypeError(`SharedArray '${name}' is read-only`);
      },
      has(_target, prop) {
        return typeof prop === 'string' && /^\d+$/.test(prop) ? Number(prop) < list.length : prop === 'length';
      },
    });
  }
}

export default { SharedArray };
