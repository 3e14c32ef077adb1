// `stress --scenario operations` as a user runs it, shortened: the reference comes up on a
// business clock running half a day per real second, the corridor's live mix runs through ICE,
// and the run waits until every movement that got an MRN is at the end state of its path:
// the console, summary.json and the report count them per path, none stuck.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stressCli } from '../testing/stress-cli.ts';

let resultsRoot: string;
let stateDir: string;

beforeAll(async () => {
  resultsRoot = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-operations-'));
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-operations-state-'));
});
afterAll(async () => {
  for (const dir of [resultsRoot, stateDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

const stress = (args: string[]) => stressCli({ results: resultsRoot, state: stateDir }, args);

describe('cats-stress stress --scenario operations', () => {
  it('runs the live mix with every labelled path to its end state, counted per path', async () => {
    const { code, stdout, stderr } = await stress([
      '--scenario',
      'operations',
      '--countries',
      'KZ,AZ,GE',
      '--duration',
      '15s',
      '--rate',
      '1',
      '-e',
      'PATH_WAIT_S=120',
      '-e',
      'SLO_E2E_P95_MS=60000',
      '-e',
      'SLO_ICE_P95_MS=30000',
    ]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stderr).toContain('business time ×43200 (a business day in 2 s real time)');
    expect(stdout).toMatch(/^PASS {2}operations: \d+\/\d+ SLO thresholds met/m);
    expect(stdout).toContain('movements that got an MRN → reached the end state of their path');

    const [runId] = await readdir(resultsRoot);
    const dir = path.join(resultsRoot, runId!);
    const summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'));
    const paths = summary.paths as { path: string; planned: number; reached: number; stuck: number; skipped: number }[];
    expect(paths.map((p) => p.path)).toContain('as-declared');
    for (const p of paths) {
      expect(p, p.path).toMatchObject({ reached: p.planned, stuck: 0, skipped: 0 });
      expect(p.planned, p.path).toBeGreaterThan(0);
      expect(summary.metrics[`movement_path_completed{path:${p.path}}`].values.count).toBe(p.planned);
      expect(stdout).toMatch(new RegExp(`^ {4}${p.path} +${p.planned} → ${p.planned}$`, 'm'));
    }
    expect(summary.metrics.movement_path_stuck?.values.count ?? 0).toBe(0);
    const html = await readFile(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Paths</h2>');
  }, 600_000);
});
