// perf-ci's own usage errors: refused before anything is checked out or run.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../flags.ts';
import { command } from './perf-ci.ts';

describe('perf-ci usage', () => {
  it.each([
    [['--rounds', '0'], '--rounds must be a whole number at least 1'],
    [['--rounds', '2.5'], '--rounds must be a whole number at least 1'],
    [['--alpha', '0.7'], '--alpha must be a number above 0 and at most 0.5'],
    [['--min-effect=-1'], '--min-effect must be a number at least 0'],
    [['--duration', 'soon'], '--duration'],
    [['--rate', '0'], '--rate must be a number above 0'],
    [['--candidate-env', 'NOEQUALS'], '--candidate-env NOEQUALS: expected KEY=VALUE'],
  ])('%j is a usage error naming the problem', async (argv, message) => {
    const refused = command.run(argv);
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(message);
  });
});
