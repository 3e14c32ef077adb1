// A certification check: the requirement it judges, the step it belongs to,
// and how it judges it. Check files in ./checks/ are found by name, so a new
// requirement needs its catalogue row (reference/spec/requirements.ts) and one
// file here.
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Outcome } from './outcome.ts';
import type { Session } from './session.ts';
import type { LoadResult } from './load-step.ts';
import type { Probe } from './durability-probe.ts';

export type Step = 'conformance' | 'load';

export interface RunState {
  /** The load and fault step's figures, once it ran. */
  load?: LoadResult;
  /** C2B reads taken as each message of the conformance step reached ICE (for the last checks). */
  probes?: Probe[];
}

export interface Check {
  requirement: string;
  step: Step;
  /** Checks that judge what earlier checks left behind (every outgoing message) run after the others. */
  last?: boolean;
  run(s: Session, state: RunState): Promise<Outcome>;
}

/** Every check of every file in ./checks/, in file order. */
export async function loadChecks(): Promise<Check[]> {
  const dir = fileURLToPath(new URL('./checks/', import.meta.url));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const all: Check[] = [];
  for (const file of files) {
    const mod = (await import(new URL(`./checks/${file}`, import.meta.url).href)) as { checks: Check[] };
    all.push(...mod.checks);
  }
  return all;
}
