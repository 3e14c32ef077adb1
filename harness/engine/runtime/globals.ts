// k6's globals: open() (init only), __ENV, __VU and __ITER (per VU, through async context).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { engine, inInitContext } from './engine-state.ts';
import { currentVu } from './vu-context.ts';

function open(path: string, mode?: string): string | ArrayBuffer {
  if (!inInitContext(currentVu())) throw new Error('open() works only in the init context (top level of the script)');
  if (typeof path !== 'string' || !path) throw new TypeError('open(path): path must be a non-empty string');
  const file = resolve(dirname(engine.scriptPath), path);
  const bytes = readFileSync(file);
  engine.opened.add(file);
  if (mode === 'b') return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return bytes.toString('utf8');
}

export function installGlobals(): void {
  Object.defineProperties(globalThis, {
    open: { value: open, configurable: true, writable: true },
    __ENV: { get: () => currentVu()?.env ?? engine.env, configurable: true },
    __VU: { get: () => currentVu()?.idInInstance ?? 0, configurable: true },
    __ITER: { get: () => currentVu()?.iteration ?? 0, configurable: true },
  });
}
