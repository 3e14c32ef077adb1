import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaultError } from './fault-error.ts';
import {
  checkApplicable,
  faultLinksOf,
  inapplicableFaults,
  parseFaultFile,
  parseFaultSpec,
  readFaultSchedule,
} from './schedule.ts';

function errorOf(fn: () => unknown): FaultError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FaultError) return err;
    throw err;
  }
  throw new Error('expected a FaultError');
}

const upDeployment = {
  nodes: { AZ: { pid: 101 }, GE: { pid: 102 }, KZ: { pid: 103 }, UZ: { pid: 104 } },
  ice: { pid: 100 },
  postgres: { pid: 99, embedded: true },
  supervisor: { pid: 98 },
};

describe('fault schedule spec', () => {
  it('reads every kind of fault into typed events ordered by time', () => {
    const events = parseFaultSpec(
      'latency:clients-UZ@60s+30s=300ms~50ms,kill:ice@20s,kill:node/AZ@35s,pause:db/KZ@40s+10s,cut:GE-ice@50s+20s,reset:clients-UZ@1m+30s=5%,bandwidth:KZ-db@70s+5s=100',
    );
    expect(events).toEqual([
      { fault: 'kill', part: { role: 'ice' }, atMs: 20_000 },
      { fault: 'kill', part: { role: 'node', country: 'AZ' }, atMs: 35_000 },
      { fault: 'pause', part: { role: 'db', country: 'KZ' }, atMs: 40_000, forMs: 10_000 },
      { fault: 'cut', link: { client: 'GE', server: 'ice' }, atMs: 50_000, forMs: 20_000 },
      {
        fault: 'latency',
        link: { client: 'clients', server: 'UZ' },
        atMs: 60_000,
        forMs: 30_000,
        latencyMs: 300,
        jitterMs: 50,
      },
      { fault: 'reset', link: { client: 'clients', server: 'UZ' }, atMs: 60_000, forMs: 30_000, probability: 0.05 },
      { fault: 'bandwidth', link: { client: 'KZ', server: 'db' }, atMs: 70_000, forMs: 5000, rateKBps: 100 },
    ]);
  });

  it('reads a recovery limit after any event, in the compact and the object form', () => {
    const events = parseFaultSpec(
      'kill:ice@20s~recover=90s,latency:clients-UZ@1m+30s=300ms~50ms~recover=2m,cut:GE-ice@5s+5s',
    );
    expect(events).toEqual([
      { fault: 'cut', link: { client: 'GE', server: 'ice' }, atMs: 5000, forMs: 5000 },
      { fault: 'kill', part: { role: 'ice' }, atMs: 20000, recoverWithinMs: 90000 },
      {
        fault: 'latency',
        link: { client: 'clients', server: 'UZ' },
        atMs: 60000,
        forMs: 30000,
        latencyMs: 300,
        jitterMs: 50,
        recoverWithinMs: 120000,
      },
    ]);
    expect(
      parseFaultFile(JSON.stringify([{ fault: 'kill', target: 'node/GE', at: '3s', recoverWithin: '45s' }]), 'f.json'),
    ).toEqual([{ fault: 'kill', part: { role: 'node', country: 'GE' }, atMs: 3000, recoverWithinMs: 45000 }]);
    const err = errorOf(() => parseFaultSpec('kill:ice@1s~recover=soon,kill:ice@2s~recover=0s'));
    expect(err.errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/0', 'bad_duration'],
      ['/1', 'bad_duration'],
    ]);
  });

  it('reads a bare number as milliseconds, as k6 does', () => {
    expect(parseFaultSpec('pause:ice@1500+250')).toEqual([
      { fault: 'pause', part: { role: 'ice' }, atMs: 1500, forMs: 250 },
    ]);
  });

  it('names every bad event by its place and says what is wrong, all at once', () => {
    const err = errorOf(() =>
      parseFaultSpec(
        'kill:ice@20s,explode:ice@1s,pause:ice@5s,kill:node/Georgia@1s,cut:GE-ice@soon+1s,latency:GE-ice@1s+1s',
      ),
    );
    expect(err.code).toBe('invalid_fault_schedule');
    expect(err.errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/1', 'unknown_fault'],
      ['/2', 'missing_duration'],
      ['/3', 'bad_part'],
      ['/4', 'bad_duration'],
      ['/5', 'missing_value'],
    ]);
    expect(err.errors[2].message).toContain("'kill:node/Georgia@1s'");
    expect(err.errors[1].message).toContain('pause:ice@5s+10s');
  });

  it('refuses malformed events, values and links', () => {
    const codes = (spec: string) => errorOf(() => parseFaultSpec(spec)).errors.map((e) => e.code);
    expect(codes('kill ice at 20s')).toEqual(['syntax']);
    expect(codes('kill:ice@20s+5s')).toEqual(['unexpected_duration']);
    expect(codes('cut:GE-ice@1s+1s=3')).toEqual(['unexpected_value']);
    expect(codes('reset:clients-UZ@1s+1s=150%')).toEqual(['bad_value']);
    expect(codes('bandwidth:clients-UZ@1s+1s=fast')).toEqual(['bad_value']);
    expect(codes('cut:GE-GE@1s+1s')).toEqual(['bad_link']);
    expect(codes('cut:db-GE@1s+1s')).toEqual(['bad_link']);
    expect(codes('')).toEqual(['empty']);
  });
});

describe('fault schedule file', () => {
  it('reads JSON and YAML lists of compact strings or objects, alone or under faults:', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'faults-'));
    try {
      const json = path.join(dir, 'faults.json');
      await writeFile(
        json,
        JSON.stringify({ faults: ['kill:ice@20s', { fault: 'cut', target: 'GE-ice', at: '5s', for: '2s' }] }),
      );
      expect(readFaultSchedule(json)).toEqual([
        { fault: 'cut', link: { client: 'GE', server: 'ice' }, atMs: 5000, forMs: 2000 },
        { fault: 'kill', part: { role: 'ice' }, atMs: 20_000 },
      ]);
      const yaml = path.join(dir, 'faults.yaml');
      await writeFile(
        yaml,
        '- fault: latency\n  target: clients-UZ\n  at: 1m\n  for: 30s\n  value: 300ms\n- kill:node/AZ@35s\n',
      );
      expect(readFaultSchedule(yaml).map((e) => e.fault)).toEqual(['kill', 'latency']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('points at the bad entry of a file', () => {
    const err = errorOf(() =>
      parseFaultFile(
        JSON.stringify({ faults: ['kill:ice@1s', { fault: 'kill', target: 'ice', at: '1s', colour: 'red' }, 7] }),
        'f.json',
      ),
    );
    expect(err.errors.map((e) => e.pointer)).toEqual(['/faults/1/colour', '/faults/2']);
    expect(errorOf(() => parseFaultFile('{', 'f.json')).errors[0].code).toBe('syntax');
    expect(errorOf(() => readFaultSchedule('/nonexistent/faults.yaml')).errors[0].code).toBe('not_found');
  });
});

describe('faults a deployment can take', () => {
  const events = parseFaultSpec(
    'kill:ice@1s,kill:node/AZ@2s,pause:db@3s+1s,cut:GE-ice@4s+1s,latency:clients-UZ@5s+1s=100ms',
  );

  it('accepts every fault on a deployment started by up', () => {
    expect(inapplicableFaults(events, upDeployment)).toEqual([]);
    expect(() => checkApplicable(events, upDeployment)).not.toThrow();
  });

  it('refuses process faults and links between parts on a --target deployment, with the reason', () => {
    const target = { nodes: { AZ: {}, GE: {}, UZ: {} }, ice: {} };
    const err = errorOf(() => checkApplicable(events, target));
    expect(err.code).toBe('inapplicable_faults');
    expect(err.errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/0', 'no_pid'],
      ['/1', 'no_pid'],
      ['/2', 'no_pid'],
      ['/3', 'not_routable'],
    ]);
    expect(err.errors[0].message).toContain('no PID');
  });

  it("takes one country's database and links between parts only where up can route them", () => {
    const partLinks = parseFaultSpec('pause:db/GE@1s+1s,cut:GE-ice@2s+1s,latency:ice-db@3s+1s=50ms,cut:ice-GE@4s+1s');
    expect(faultLinksOf(partLinks)).toEqual(['GE-db', 'GE-ice', 'ice-GE', 'ice-db']);
    const problems = inapplicableFaults(partLinks, upDeployment);
    expect(problems.map((p) => [p.pointer, p.code])).toEqual([['/3', 'unknown_link']]);
    expect(problems[0].message).toContain('nodes connect to ICE');
    const onTarget = inapplicableFaults(partLinks, { nodes: { GE: {} }, ice: {} });
    expect(onTarget.map((p) => p.code)).toEqual(['not_routable', 'not_routable', 'not_routable', 'unknown_link']);
  });

  it('refuses faults on parts the deployment does not have, and on an external database', () => {
    const problems = inapplicableFaults(parseFaultSpec('kill:node/PK@1s,cut:clients-TM@1s+1s,pause:db@1s+1s'), {
      ...upDeployment,
      postgres: { pid: null, embedded: false },
    });
    expect(problems.map((p) => p.code)).toEqual(['unknown_part', 'unknown_link', 'no_pid']);
    expect(problems[2].message).toContain('external server');
  });
});
