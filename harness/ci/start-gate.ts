// Runs that must load the machine at the same moment (perf-ci's side-by-side rounds: each
// side a `cats-stress stress` of its own revision, whose deployments come up in their own
// time) meet at a start gate. A run given CATS_STRESS_START_GATE=<gate> writes <gate>.ready
// once its deployment is up and its VUs are initialised (the engine's init, whose length
// varies by a second or more), then waits for <gate>.go before setup() and the load;
// whoever runs them writes every .go once every run is ready (or has ended). Plain files:
// the two sides are separate processes of possibly different revisions.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';

export const START_GATE_ENV = 'CATS_STRESS_START_GATE';
/** Longest a run waits at the gate: the other side's deployment, started at the same time, is up long before. */
export const START_GATE_TIMEOUT_MS = 300_000;
const POLL_MS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Says the run is ready and waits until the gate opens; throws when it stays shut past `timeoutMs`. */
export async function waitAtStartGate(gate: string, timeoutMs = START_GATE_TIMEOUT_MS): Promise<void> {
  await writeFile(`${gate}.ready`, `${process.pid}\n`);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(`${gate}.go`)) {
    if (Date.now() > deadline)
      throw new Error(`start gate ${gate} not opened within ${timeoutMs / 1000} s (${START_GATE_ENV})`);
    await sleep(POLL_MS);
  }
}

/**
 * Opens the gates once each run is ready or has ended (`ended(i)`: a run that failed before
 * its load must not hold the other back). Resolves when they are open, or at once when every
 * run has ended.
 */
export async function openStartGates(gates: string[], ended: (i: number) => boolean): Promise<void> {
  while (!gates.every((g, i) => existsSync(`${g}.ready`) || ended(i))) await sleep(POLL_MS);
  await Promise.all(gates.map((g) => writeFile(`${g}.go`, '')));
}
