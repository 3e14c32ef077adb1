// The bench-only slowdown switch: off by default, refuses nonsense, and changes no result.
import { describe, expect, it } from 'vitest';
import { slowdownFactor, slowedDown } from './bench-slowdown.ts';

describe('bench slowdown switch', () => {
  it('is off unless the environment asks for it', () => {
    expect(slowdownFactor('LODGING', {})).toBe(0);
    expect(slowdownFactor('LODGING', { CATS_NODE_SLOWDOWN_LODGING: '' })).toBe(0);
    expect(slowdownFactor('LODGING', { CATS_NODE_SLOWDOWN_LODGING: '0.2' })).toBe(0.2);
    expect(slowdownFactor('LODGING', { CATS_NODE_SLOWDOWN_OTHER: '0.2' })).toBe(0);
    const fn = async () => 1;
    expect(slowedDown(0, fn)).toBe(fn);
  });

  it('refuses a value that is not a fraction', () => {
    for (const bad of ['abc', '-0.1', '20%', '11', 'Infinity'])
      expect(() => slowdownFactor('LODGING', { CATS_NODE_SLOWDOWN_LODGING: bad })).toThrow(
        /CATS_NODE_SLOWDOWN_LODGING must be a fraction/,
      );
  });

  it('returns what the call returns and throws what it throws', async () => {
    const slowed = slowedDown(0.5, async (a: number, b: number) => {
      await new Promise((r) => setTimeout(r, 5));
      if (a < 0) throw new Error('refused');
      return a + b;
    });
    await expect(slowed(2, 3)).resolves.toBe(5);
    await expect(slowed(-1, 3)).rejects.toThrow('refused');
  });
});
