// perf-ci's own usage errors, and a clone without the base revision: refused before
// anything is checked out or run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../flags.ts';
import { PERF_CI_EXIT } from '../report/ab-comparison.ts';
import { command } from './perf-ci.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('perf-ci usage', () => {
  it.each([
    [['--rounds', '0'], '--rounds must be a whole number at least 1'],
    [['--rounds', '2.5'], '--rounds must be a whole number at least 1'],
    [['--alpha', '0.7'], '--alpha must be a number above 0 and at most 0.5'],
    [['--min-effect=-1'], '--min-effect must be a number at least 0'],
    [['--duration', 'soon'], '--duration'],
    [['--rate', '0'], '--rate must be a number above 0'],
    [['--schedule', 'parallel'], "--schedule must be side-by-side or in-turn, got 'parallel'"],
    [['--candidate-env', 'NOEQUALS'], '--candidate-env NOEQUALS: expected KEY=VALUE'],
  ])('%j is a usage error naming the problem', async (argv, message) => {
    const refused = command.run(argv);
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(message);
  });
});

describe('perf-ci in a shallow clone', () => {
  let dir: string;
  let clone: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'perf-ci-shallow-'));
    clone = path.join(dir, 'clone');
    // What a CI checkout with the default depth of 1 has: this commit and nothing before it, no main.
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${root}`, clone]);
    symlinkSync(path.join(root, 'node_modules'), path.join(clone, 'node_modules'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const perfCi = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/cats-stress.js', 'perf-ci', ...args], { cwd: clone, encoding: 'utf8' });
    return { code: r.status, stderr: r.stderr };
  };

  it('says how to fetch the base revision, and exits 3 without building or running anything', () => {
    const found = perfCi();
    expect(found.code).toBe(PERF_CI_EXIT.couldNotJudge);
    expect(found.stderr).toContain('git fetch --deepen=100 origin main');
    expect(found.stderr).toContain('fetch-depth: 0');

    const parent = perfCi('--base', 'HEAD~1');
    expect(parent.code).toBe(PERF_CI_EXIT.couldNotJudge);
    expect(parent.stderr).toContain('the base revision HEAD~1 is not in this shallow clone');
    expect(parent.stderr).toContain('git fetch --unshallow');
    expect(existsSync(path.join(clone, '.cats-stress'))).toBe(false);
  });
});

describe('perf-ci --judge', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'perf-ci-judge-'));
    // What an earlier perf-ci left: five run folders a side; the candidate's submissions 30 % slower.
    for (const [side, med] of [
      ['base', 10],
      ['candidate', 13],
    ] as const)
      [0.99, 1.01, 1.0, 0.98, 1.02].forEach((f, i) => {
        const run = path.join(dir, side, `2026120${i}-000000-ctd-peak`);
        mkdirSync(run, { recursive: true });
        const metrics = {
          'http_req_duration{operation:ctd_submit}': {
            type: 'trend',
            contains: 'time',
            values: { med: med * f, 'p(95)': med * 3 * f, 'p(99)': med * 4 * f },
          },
          'http_reqs{operation:ctd_submit}': { type: 'counter', contains: 'default', values: { count: 240 } },
        };
        writeFileSync(path.join(run, 'summary.json'), JSON.stringify({ metrics }));
      });
    writeFileSync(
      path.join(dir, 'order.json'),
      JSON.stringify({ seed: '5eed', order: 'base first in rounds 1, 4; candidate first in rounds 2, 3, 5' }),
    );
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('judges the run folders of an earlier run again without running anything', async () => {
    const logs = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const md = path.join(dir, 'verdict.md');
      expect(await command.run(['--judge', dir, '--markdown', md])).toBe(PERF_CI_EXIT.regression);
      expect(readFileSync(md, 'utf8')).toContain(
        '| CTD submission latency median | 10 ms (n=5) | 13 ms (n=5) | +30.0 % |',
      );
      // The recorded run order goes with the verdict, and how to repeat it.
      expect(readFileSync(md, 'utf8')).toContain(
        'run order: base first in rounds 1, 4; candidate first in rounds 2, 3, 5 (--order-seed 5eed repeats it)',
      );
      // A larger minimum effect turns the same runs into a pass.
      expect(await command.run(['--judge', dir, '--min-effect', '0.5'])).toBe(PERF_CI_EXIT.pass);
    } finally {
      logs.mockRestore();
    }
    await expect(command.run(['--judge', path.join(dir, 'base')])).rejects.toThrow(
      'expected the base/ and candidate/ run folders',
    );
  });
});
