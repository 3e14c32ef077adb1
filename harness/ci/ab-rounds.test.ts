// The order of the A/B runs: each round runs both sides once, which goes first a coin drawn
// from a recorded seed, so no drift of the machine's load can line up with the sides.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wilcoxonSignedRank } from '../report/ab-paired.ts';
import { describeOrder, hasStartGate, roundOrder, runRounds, type Side } from './ab-rounds.ts';

const sides: [{ name: string }, { name: string }] = [{ name: 'base' }, { name: 'candidate' }];

describe('roundOrder', () => {
  it('runs both sides once a round, the same order for the same seed', () => {
    const order = roundOrder(sides, 6, 'a1b2');
    expect(order.map((r) => r.round)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
    for (let round = 1; round <= 6; round++)
      expect(
        order
          .filter((r) => r.round === round)
          .map((r) => r.side.name)
          .sort(),
      ).toEqual(['base', 'candidate']);
    expect(roundOrder(sides, 6, 'a1b2')).toEqual(order);
    const orders = new Set(Array.from({ length: 20 }, (_, i) => describeOrder(roundOrder(sides, 6, `seed-${i}`))));
    expect(orders.size).toBeGreaterThan(10);
  });

  it('gives each side the first run of a round half the time, independently of the round before', () => {
    let baseFirst = 0;
    let sameAsBefore = 0;
    const seeds = 2000;
    for (let i = 0; i < seeds; i++) {
      const firsts = roundOrder(sides, 2, `seed-${i}`)
        .filter((_, k) => k % 2 === 0)
        .map((r) => r.side.name);
      if (firsts[0] === 'base') baseFirst++;
      if (firsts[0] === firsts[1]) sameAsBefore++;
    }
    expect(baseFirst / seeds).toBeGreaterThan(0.45);
    expect(baseFirst / seeds).toBeLessThan(0.55);
    expect(sameAsBefore / seeds).toBeGreaterThan(0.45);
    expect(sameAsBefore / seeds).toBeLessThan(0.55);
  });

  it('keeps a load that rises and falls every four runs from reading as a regression more often than α', () => {
    // Identical sides on a machine whose load rises within one round and falls within the next
    // (plus a slow climb): a fixed A B B A … order would put the candidate on the worse run of
    // every round, and the one-sided test would find it slower every time.
    const level = (run: number) => [0, 3, 4, 1][run % 4]! + 0.1 * run;
    const alpha = 0.025;
    const seeds = 4000;
    let found = 0;
    for (let i = 0; i < seeds; i++) {
      const order = roundOrder(sides, 6, `seed-${i}`);
      const changes = [1, 2, 3, 4, 5, 6].map((round) => {
        const at = (name: string) => order.findIndex((r) => r.round === round && r.side.name === name);
        return level(at('candidate')) - level(at('base'));
      });
      if (wilcoxonSignedRank(changes, 'greater').p <= alpha) found++;
    }
    expect(found / seeds).toBeLessThanOrEqual(alpha);
    expect(found).toBeGreaterThan(0);
  });
});

describe('describeOrder', () => {
  it('names the rounds each side went first in', () => {
    const run = (round: number, name: string) => ({ round, side: { name } });
    expect(
      describeOrder([
        run(1, 'base'),
        run(1, 'candidate'),
        run(2, 'candidate'),
        run(2, 'base'),
        run(3, 'candidate'),
        run(3, 'base'),
      ]),
    ).toBe('base first in round 1; candidate first in rounds 2, 3');
  });
});

// A stand-in for a revision's `cats-stress stress`: its "deployment" takes `upMs`, then it
// waits at the start gate (when it has one and is given one), then notes when its load began.
const FAKE_STRESS = (upMs: number, gate: boolean) => `
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(${JSON.stringify(gate ? 'CATS_STRESS_START_GATE=FILE: wait there' : 'no such thing')});
  process.exit(0);
}
const results = args[args.indexOf('--results') + 1];
const gate = ${gate} && process.env.CATS_STRESS_START_GATE;
setTimeout(async () => {
  const ready = Date.now();
  if (gate) {
    fs.writeFileSync(gate + '.ready', '');
    while (!fs.existsSync(gate + '.go')) await new Promise((r) => setTimeout(r, 10));
  }
  const run = path.join(results, 'run-' + process.pid);
  fs.mkdirSync(run, { recursive: true });
  fs.writeFileSync(path.join(run, 'summary.json'), JSON.stringify({ ready, load: Date.now(), db: process.env.DATABASE_URL }));
}, ${upMs});
`;

describe('runRounds side by side', () => {
  let dir: string;
  const checkout = (name: string, upMs: number, gate: boolean) => {
    const c = path.join(dir, name);
    mkdirSync(path.join(c, 'bin'), { recursive: true });
    writeFileSync(path.join(c, 'bin', 'cats-stress.js'), FAKE_STRESS(upMs, gate));
    writeFileSync(path.join(c, 'package.json'), '{"type":"commonjs"}');
    return c;
  };
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ab-rounds-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("starts both sides' load together, each on its own server, however long their deployments take", async () => {
    const sides: [Side, Side] = [
      { name: 'base', checkout: checkout('slow', 600, true), env: {} },
      { name: 'candidate', checkout: checkout('fast', 0, true), env: {} },
    ];
    const order = roundOrder(sides, 2, 'gate');
    const runs = await runRounds({
      order,
      schedule: 'side by side',
      slots: [{ DATABASE_URL: 'server-1' }, { DATABASE_URL: 'server-2' }],
      stressArgs: [],
      out: path.join(dir, 'out'),
      stateRoot: path.join(dir, 'state'),
      say: () => {},
    });
    expect(runs.map((r) => [r.round, r.exitCode])).toEqual([
      [1, 0],
      [1, 0],
      [2, 0],
      [2, 0],
    ]);
    for (const round of [1, 2]) {
      const read = (side: string) => {
        const run = runs.find((r) => r.round === round && r.side === side)!;
        return JSON.parse(readFileSync(path.join(run.dir!, 'summary.json'), 'utf8')) as {
          ready: number;
          load: number;
          db: string;
        };
      };
      const [base, candidate] = [read('base'), read('candidate')];
      // The fast side was ready long before, and still began its load only once the slow one was ready.
      expect(candidate.ready).toBeLessThan(base.ready);
      expect(candidate.load).toBeGreaterThanOrEqual(base.ready);
      // The side drawn first in the round takes the first server.
      const first = order.find((r) => r.round === round)!.side.name;
      expect((first === 'base' ? base : candidate).db).toBe('server-1');
      expect((first === 'base' ? candidate : base).db).toBe('server-2');
    }
  });

  it('tells a revision whose stress has a start gate from one without', () => {
    expect(hasStartGate(checkout('gated', 0, true))).toBe(true);
    expect(hasStartGate(checkout('older', 0, false))).toBe(false);
  });
});
