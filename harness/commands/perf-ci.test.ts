// perf-ci's own usage errors: refused with exit 2 before anything is checked out or run.
import { describe, expect, it, vi } from 'vitest';
import { PERF_CI_EXIT } from '../report/ab-comparison.ts';
import { command } from './perf-ci.ts';

describe('perf-ci usage', () => {
  it.each([
    [['--rounds', '0'], '--rounds must be a whole number ≥ 1'],
    [['--rounds', '2.5'], '--rounds must be a whole number ≥ 1'],
    [['--alpha', '0.7'], '--alpha must be between 0 and 0.5'],
    [['--min-effect=-1'], '--min-effect must be a fraction ≥ 0'],
    [['--duration', 'soon'], '--duration must look like 20s'],
    [['--rate', '0'], '--rate must be a positive number'],
    [['--candidate-env', 'NOEQUALS'], '--candidate-env NOEQUALS: expected KEY=VALUE'],
  ])('%j exits 2 with the problem and the usage', async (argv, message) => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await command.run(argv)).toBe(PERF_CI_EXIT.usage);
      const text = errors.mock.calls.map((c) => String(c[0])).join('\n');
      expect(text).toContain(message);
      expect(text).toContain('usage: cats-stress perf-ci');
    } finally {
      errors.mockRestore();
    }
  });
});
