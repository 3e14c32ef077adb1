// Test helpers: write a k6 script to a temporary directory and run it on the
// engine, capturing what it prints.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runScript, type RunResult, type RunScriptOptions } from '../run.ts';

export function writeScript(source: string, name = 'script.js'): string {
  const dir = mkdtempSync(join(tmpdir(), 'engine-test-'));
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

export interface CapturedRun extends RunResult {
  stdout: string;
  stderr: string;
}

export async function runSource(source: string, opts: RunScriptOptions = {}): Promise<CapturedRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const result = await runScript(writeScript(source), { quiet: true, ...opts, stdout, stderr });
  return { ...result, stdout: out, stderr: err };
}

/** A summary value, or NaN when the metric is missing. */
export function metricValue(run: RunResult, metric: string, stat: string): number {
  return run.summaryData?.metrics[metric]?.values[stat] ?? Number.NaN;
}

/** What a run printed on stderr, without the load generator's health warning that a busy test machine can raise. */
export function stderrBesidesHealth(stderr: string): string {
  return stderr.replace(/^warning: the engine's own event loop ran up to .*\n/gm, '');
}
