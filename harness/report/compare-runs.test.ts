// The regression gate on real runs: a rerun of the same code passes, a slowed node fails.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { command as baselineCommand } from '../commands/baseline.ts';
import { command as compareCommand, NOT_COMPARABLE_EXIT, REGRESSION_EXIT } from '../commands/compare.ts';
import { UsageError } from '../flags.ts';
import { abFigures } from './ab-comparison.ts';
import { compare, loadMeasured } from './compare-runs.ts';
import { readRunFolder } from './run-folder.ts';
import { loopbackRun, startLoopbackNode, type LoopbackNode } from './testing/loopback-run.ts';

let dir: string;
let node: LoopbackNode;
const runs: Record<'first' | 'rerun' | 'slowed' | 'other', string> = { first: '', rerun: '', slowed: '', other: '' };
// 120 submissions: enough for p95 to be judged (6 beyond it), not p99.
const stages = [{ target: 40, duration: '3s' }];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'compare-'));
  node = await startLoopbackNode(20);
  runs.first = await loopbackRun(dir, node, { runId: 'first', stages });
  runs.rerun = await loopbackRun(dir, node, { runId: 'rerun', stages });
  // The same node answering 40 ms later: what a slower build of a node would look like.
  node.delayMs = 60;
  runs.slowed = await loopbackRun(dir, node, { runId: 'slowed', stages });
  // Another kind of run against the same node: a lighter, shorter load under another scenario's name.
  node.delayMs = 20;
  runs.other = await loopbackRun(dir, node, {
    runId: 'other',
    scenario: 'loopback-soak',
    stages: [{ target: 20, duration: '2s' }],
  });
}, 120_000);
afterAll(async () => {
  await node?.close();
});

describe('compare', () => {
  it('passes an identical rerun', async () => {
    const result = compare(await loadMeasured(runs.first), await loadMeasured(runs.rerun));
    expect(result.rows.filter((r) => r.verdict === 'regression')).toEqual([]);
    expect(result.rows.length).toBeGreaterThan(10);
    // p99 of ~120 submissions is one or two requests: reported, not judged.
    expect(
      result.rows.find((r) => r.metric === 'http_req_duration{operation:ctd_submit}' && r.stat === 'p(99)')?.verdict,
    ).toBe('too few samples');
    expect(await compareCommand.run([runs.first, runs.rerun])).toBe(0);
  });

  it('flags the slowed node on the latency of every operation, and exits non-zero', async () => {
    const result = compare(await loadMeasured(runs.first), await loadMeasured(runs.slowed));
    const regressed = result.rows.filter((r) => r.verdict === 'regression').map((r) => `${r.metric} ${r.stat}`);
    expect(regressed).toEqual(
      expect.arrayContaining(['http_req_duration med', 'http_req_duration{operation:ctd_submit} p(95)']),
    );
    // Operations without a threshold are compared from the time series; the rarer ones may
    // carry wide noise on a busy machine, so any of them regressing is the check.
    expect(regressed.some((r) => r.startsWith('http_req_duration{operation:') && r.endsWith('(time series)'))).toBe(
      true,
    );
    // Failures and throughput did not change: an open-model run keeps its arrival rate.
    expect(regressed.filter((r) => /http_req_failed|http_reqs|checks/.test(r))).toEqual([]);
    const md = path.join(dir, 'comment.md');
    expect(await compareCommand.run([runs.first, runs.slowed, '--markdown', md])).toBe(REGRESSION_EXIT);
    const text = await readFile(md, 'utf8');
    expect(text).toMatch(/^### cats-stress: FAIL: \d+ regressions? against first/);
    expect(text).toContain('| http_req_duration med |');
  });

  it('records a baseline per machine class and gates against it', async () => {
    expect(await baselineCommand.run([runs.first, '--machine-class', 'test-2cpu', '--results', dir])).toBe(0);
    const file = path.join(dir, 'baselines', 'test-2cpu.json');
    const baseline = JSON.parse(await readFile(file, 'utf8'));
    expect(baseline).toMatchObject({ kind: 'cats-stress-baseline', machineClass: 'test-2cpu', run: 'first' });
    expect(await compareCommand.run([file, runs.rerun])).toBe(0);
    expect(await compareCommand.run([file, runs.slowed])).toBe(REGRESSION_EXIT);
  });

  it('refuses runs of different scenarios and settings, listing the differences, unless forced', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const logs = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await compareCommand.run([runs.first, runs.other])).toBe(NOT_COMPARABLE_EXIT);
      const refusal = errors.mock.calls.map((c) => String(c[0])).join('\n');
      expect(refusal).toContain('not comparable');
      expect(refusal).toContain('scenario: "loopback" → "loopback-soak"');
      expect(refusal).toContain('stages: [{"target":40,"duration":"3s"}] → [{"target":20,"duration":"2s"}]');
      expect(refusal).toContain('--force');
      expect(logs).not.toHaveBeenCalled();

      const md = path.join(dir, 'forced.md');
      expect(await compareCommand.run([runs.first, runs.other, '--force', '--markdown', md])).not.toBe(
        NOT_COMPARABLE_EXIT,
      );
      const printed = logs.mock.calls.map((c) => String(c[0])).join('\n');
      const above = printed.indexOf('scenario: "loopback" → "loopback-soak"');
      expect(above).toBeGreaterThanOrEqual(0);
      expect(above).toBeLessThan(printed.indexOf('figure'));
      expect(await readFile(md, 'utf8')).toContain('not comparable, their settings differ');
    } finally {
      errors.mockRestore();
      logs.mockRestore();
    }
    // The same settings compare without a word about them.
    expect(compare(await loadMeasured(runs.first), await loadMeasured(runs.rerun)).notes.join()).not.toContain(
      'settings',
    );
  });

  it('gives perf-ci its figures from a run folder', async () => {
    const f = abFigures(await readRunFolder(runs.first));
    expect(Object.keys(f).sort()).toEqual([
      'CTD submission error share',
      'CTD submission latency median',
      'CTD submission latency p95',
      'CTD submission latency p99',
      'CTDs accepted per second',
      'ICE delivery latency median',
    ]);
    // 120 submissions, one in twenty rejected with 422 (an expected status, not a failure).
    expect(f['CTD submission latency p95']?.samples).toBeGreaterThanOrEqual(100);
    expect(f['CTD submission error share']?.value).toBe(0);
    expect(f['CTD submission latency median']?.value).toBeGreaterThan(0);
  });

  it('rejects what is not a run', async () => {
    expect(await compareCommand.run([path.join(dir, 'nope'), runs.first])).toBe(2);
    await expect(compareCommand.run([runs.first])).rejects.toThrow(UsageError);
    await expect(baselineCommand.run([runs.first, '--machine-class', '../etc'])).rejects.toThrow(UsageError);
  });
});
