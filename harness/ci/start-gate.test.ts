// The start gate of side-by-side rounds: no run's load starts before every run is ready,
// and a run that ended early does not hold the others back.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStartGates, waitAtStartGate } from './start-gate.ts';

describe('start gate', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'start-gate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets both runs go only once both are ready', async () => {
    const [a, b] = [path.join(dir, 'base'), path.join(dir, 'candidate')];
    const passed: string[] = [];
    const opened = openStartGates([a, b], () => false);
    const first = waitAtStartGate(a).then(() => passed.push('base'));
    await new Promise((r) => setTimeout(r, 200));
    // The base is ready and waits; the candidate's deployment is still coming up.
    expect(existsSync(`${a}.ready`)).toBe(true);
    expect(existsSync(`${a}.go`)).toBe(false);
    expect(passed).toEqual([]);
    const second = waitAtStartGate(b).then(() => passed.push('candidate'));
    await Promise.all([opened, first, second]);
    expect(passed.sort()).toEqual(['base', 'candidate']);
  });

  it('opens for the others when a run ended before it was ready', async () => {
    const [a, b] = [path.join(dir, 'base'), path.join(dir, 'candidate')];
    const opened = openStartGates([a, b], (i) => i === 1);
    await waitAtStartGate(a);
    await opened;
    expect(existsSync(`${b}.go`)).toBe(true);
  });

  it('fails a run whose gate stays shut', async () => {
    await expect(waitAtStartGate(path.join(dir, 'alone'), 100)).rejects.toThrow(
      /start gate .*alone not opened within 0.1 s \(CATS_STRESS_START_GATE\)/,
    );
  });
});
