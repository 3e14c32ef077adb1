// `--out journal=FILE` on a real engine run: every `movement_acks` sample with an
// MRN becomes one line, across worker threads; other metrics and samples without
// an MRN are left out.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../run.ts';
import { lastAcks } from '../../reconcile/journal.ts';
import type { JournalLine } from './journal.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'journal-out-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const script = `
import { Counter } from 'k6/metrics';
import exec from 'k6/execution';
const acks = new Counter('movement_acks');
const other = new Counter('ctd_accepted');
export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 4, iterations: 20 } } };
export default function () {
  const mrn = 'MRN' + exec.scenario.iterationInTest;
  acks.add(1, { mrn, step: 'ctd_submit', state: 'UNDER_CONTROL' });
  acks.add(1, { mrn, step: 'ctd_release', state: 'RELEASED' });
  acks.add(1, { step: 'no_mrn', state: 'RELEASED' });
  other.add(1, { mrn });
}
`;

describe('journal output', () => {
  it('writes one line per acknowledged step, in a folder of its own making, and the last step per MRN is the latest', async () => {
    const file = path.join(dir, 'script.js');
    await writeFile(file, script);
    // In a folder the run makes.
    const journal = path.join(dir, 'results', 'journal.ndjson');
    const run = await runScript(file, { outputs: [`journal=${journal}`], quiet: true, noSummary: true, workers: 2 });
    expect(run.exitCode).toBe(0);
    const lines: JournalLine[] = (await readFile(journal, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(40);
    expect(new Set(lines.map((l) => l.mrn)).size).toBe(20);
    expect(lines.every((l) => typeof l.t === 'number' && l.step.startsWith('ctd_'))).toBe(true);
    const last = lastAcks(lines);
    expect([...last.values()].map((l) => l.step)).toEqual(Array(20).fill('ctd_release'));
  });

  it('needs a file', async () => {
    const file = path.join(dir, 'script.js');
    const run = await runScript(file, { outputs: ['journal'], quiet: true, noSummary: true, workers: 1 });
    expect(run.exitCode).not.toBe(0);
    expect(run.error).toContain('--out journal=FILE');
  });
});
