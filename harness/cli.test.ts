// Every command answers a problem with its flags the same way, as a user sees it:
// the problem and the command's usage on stderr, exit code 2, nothing started or written.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from './cli.ts';

const bin = fileURLToPath(new URL('../bin/cats-stress.js', import.meta.url));
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-usage-'));
});

afterAll(async () => {
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.ICE_NODE_TOKENS;
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// [invocation, what stderr says about it]
const BAD: [string[], RegExp][] = [
  [['baseline', '--bogus', 'run-dir'], /Unknown option '--bogus'/],
  [['baseline', 'run-dir', '--machine-class'], /--machine-class.*argument missing/],
  [['baseline', 'run-dir', '--machine-class', '../etc'], /machine class of letters/],
  [['capacity', 'run-dir', '--p95', 'x'], /--p95 must be a number above 0, got 'x'/],
  [['capacity', 'run-dir', '--errors', '2'], /--errors must be a number above 0 and at most 1/],
  [['compare', 'only-one'], /expected a baseline and a run/],
  [['compare', 'a', 'b', '--markdown'], /--markdown.*argument missing/],
  [['down', '--bogus'], /Unknown option '--bogus'/],
  [['down', '--deployment'], /--deployment.*argument missing/],
  [['generate', '--movements', 'ten', '--seed', 's', '--out', 'data'], /--movements must be a whole number/],
  [['generate', '--movements', '10', '--out', 'data'], /--seed is required/],
  [['ice', '--node-token', 'GE=token-0001', '--port', 'x'], /--port must be a whole number .*got 'x'/],
  [['ice', '--node-token', 'GE'], /must be CC=TOKEN/],
  [['node', '--country', 'GE', '--port', '70000'], /--port must be a whole number at least 0 and at most 65535/],
  [['node', '--country', 'GE', '--pool-size', 'many'], /--pool-size must be a whole number/],
  [['observe', '--port', 'x'], /--port must be a whole number/],
  [['observe', '--scrape-interval', 'soon'], /--scrape-interval must be a Prometheus duration/],
  [['perf-ci', '--duration', 'soon'], /--duration/],
  [['perf-ci', '--bogus'], /Unknown option '--bogus'/],
  [['report'], /expected one run folder/],
  [['report', 'run-dir', '--bogus'], /Unknown option '--bogus'/],
  [['run', '-e', 'FOO', 'script.js'], /--env FOO: expected KEY=VALUE/],
  [['run', '-d', 'soon', 'script.js'], /--duration: ["']soon["'] is not a duration/],
  [['run', '--vus', 'x', 'script.js'], /--vus must be a whole number/],
  [['run', '--engine', 'k7', 'script.js'], /--engine k7: expected 'node' or 'k6'/],
  [['run'], /expected one script/],
  [['stress', '-e', 'FOO'], /-e FOO: expected KEY=VALUE/],
  [['stress', '--duration', 'soon'], /--duration/],
  [['stress', '--rate', 'x'], /--rate must be a number above 0, got 'x'/],
  [['stress', '--scenario', 'smoke', '--rate', '5'], /--rate: smoke has no arrival rate; it applies to ctd-peak/],
  [['stress', '--workers'], /--workers.*argument missing/],
  [['up', '--countries', 'XX'], /--countries must list countries with customs offices.*XX/],
  [['up', '--observability', '--prometheus-port', 'x'], /--prometheus-port must be a whole number/],
  [['up', '--bogus'], /Unknown option '--bogus'/],
  [
    ['up', '--countries', 'GE,AZ', '--fault-links', 'clients-GE,KZ-ice,GE-AZ,ice-GE'],
    /--fault-links: clients-GE: load clients' links are placed by the run itself.*; KZ-ice: no node KZ in --countries; GE-AZ: nodes do not talk to each other.*; ice-GE: ICE connects to no node/,
  ],
];

describe('a bad invocation of any command', () => {
  it.concurrent.each(BAD)('cats-stress %j exits 2 with the usage', async (args, problem) => {
    const name = args[0]!;
    const { command } = (await import(`./commands/${name}.ts`)) as { command: Command };
    const { code, stdout, stderr } = await cli(args);
    expect(code, stderr).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^cats-stress ${name}: `));
    expect(stderr).toMatch(problem);
    expect(stderr.trimEnd().endsWith(command.usage), stderr).toBe(true);
  });

  // Runs after every invocation above: none of them wrote a file where it ran (results, data, deployment).
  it('changes nothing where it runs', async () => {
    expect(await readdir(cwd)).toEqual([]);
  });
});
