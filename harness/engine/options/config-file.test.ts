// k6's --config file: read as k6 reads it, layered beneath the script's options, refused with the file's name.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../run.ts';
import { metricValue, runSource } from '../testing/run-fixture.ts';
import { readConfigFile, underScript } from './config-file.ts';
import { OptionsError } from './options.ts';

function configFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'k6-config-')), 'config.json');
  writeFileSync(file, content);
  return file;
}

describe('k6 config file', () => {
  it('reads options at the top level and "out" apart, leaving out what is not an option', () => {
    const file = configFile(
      JSON.stringify({ vus: 3, iterations: 6, userAgent: 'file', out: ['json=a.json'], linger: true, collectors: {} }),
    );
    expect(readConfigFile(file)).toEqual({
      options: { vus: 3, iterations: 6, userAgent: 'file' },
      outputs: ['json=a.json'],
    });
  });

  it('refuses a missing file, bad JSON, or a value that is not an object, naming the file', () => {
    expect(() => readConfigFile('/nonexistent/config.json')).toThrow(/couldn't load the configuration from/);
    expect(() => readConfigFile(configFile('{ vus: 3'))).toThrow(OptionsError);
    expect(() => readConfigFile(configFile('[1, 2]'))).toThrow(/must be a JSON object of k6 options/);
    expect(() => readConfigFile(configFile('{"out": "json=a.json"}'))).toThrow(/"out" must be a list/);
  });

  it("lies beneath the script's options: timing set by the script replaces all of the file's", () => {
    const file = { vus: 3, iterations: 6, userAgent: 'file', stages: [{ duration: '1s', target: 2 }] };
    expect(underScript(file, { userAgent: 'script' })).toEqual({ ...file, userAgent: 'script' });
    expect(underScript(file, { duration: '5s' })).toEqual({ vus: 3, userAgent: 'file', duration: '5s' });
    expect(underScript(file, undefined)).toEqual(file);
  });

  it('runs a script with the file beneath it and the K6_* variables and flags above it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-config-run-'));
    const file = join(dir, 'config.json');
    const out = join(dir, 'samples.json');
    writeFileSync(file, JSON.stringify({ vus: 2, iterations: 6, out: [`json=${out}`] }));
    const source = `import { Counter } from 'k6/metrics';
const c = new Counter('things');
export default function () { c.add(1); }`;
    const run = await runSource(source, { configFile: file, noSummary: false, systemEnv: {} });
    expect(run.exitCode).toBe(0);
    expect(metricValue(run, 'things', 'count')).toBe(6);
    // The file's output, as neither --out nor K6_OUT named one.
    expect(readFileSync(out, 'utf8')).toContain('"metric":"things"');
    // K6_ITERATIONS over the file; a flag over both.
    const env = await runSource(source, { configFile: file, systemEnv: { K6_ITERATIONS: '4' } });
    expect(metricValue(env, 'things', 'count')).toBe(4);
    const flag = await runSource(source, {
      configFile: file,
      systemEnv: { K6_ITERATIONS: '4' },
      overrides: { iterations: 3 },
    });
    expect(metricValue(flag, 'things', 'count')).toBe(3);
  });

  it('exits 104 with the reason when the file cannot be read', async () => {
    const run = await runSource('export default function () {}', { configFile: '/nonexistent/config.json' });
    expect(run.exitCode).toBe(exitCodes.invalidConfig);
    expect(run.stderr).toContain("couldn't load the configuration");
  });
});
