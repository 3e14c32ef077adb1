import { describe, expect, it } from 'vitest';
import { isValidLrn } from './lrn.ts';

describe('isValidLrn', () => {
  it('accepts up to 22 characters without spaces', () => {
    for (const s of ['A', 'LRN-2026/0001', 'abc.def_ghi', 'X'.repeat(22)]) expect(isValidLrn(s), s).toBe(true);
  });
  it('rejects empty, too long, spaces and other characters', () => {
    for (const s of ['', 'X'.repeat(23), 'LRN 1', 'LRN\t1', 'LRN#1', 'ЛРН1']) expect(isValidLrn(s), s).toBe(false);
  });
});
