// `archive` and `inspect` as the k6-operator's initializer calls them: `archive -O file`, then
// `inspect --execution-requirements file`, whose JSON it reads for totalDuration and maxVUs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTar } from 'nanotar';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/cats-stress.js', import.meta.url));
const cli = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('archive and inspect', { timeout: 180_000 }, () => {
  it('packs the script, its modules and opened files; inspect reads the archive on its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'archive-'));
    mkdirSync(join(dir, 'lib'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'lib', 'names.js'), `export const first = (a) => a[0];\n`);
    writeFileSync(join(dir, 'data', 'names.json'), '["ada","bo"]');
    writeFileSync(
      join(dir, 'test.js'),
      `import { first } from './lib/names.js';
const names = JSON.parse(open('./data/names.json'));
export const options = { scenarios: {
  s: { executor: 'shared-iterations', vus: 4, iterations: 8, maxDuration: '20s' },
  r: { executor: 'constant-arrival-rate', rate: 10, duration: '2s', preAllocatedVUs: 3, startTime: '1s' },
} };
export default function () { first(names); }`,
    );
    const out = join(dir, 'test.archived.tar');
    expect(cli(['archive', '-O', out, '-e', 'WHO=ops', 'test.js'], dir).code).toBe(0);
    const names = parseTar(new Uint8Array(readFileSync(out))).map((i) => i.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'metadata.json',
        'data',
        `file${join(dir, 'test.js')}`,
        `file${join(dir, 'lib', 'names.js')}`,
        `file${join(dir, 'data', 'names.json')}`,
      ]),
    );
    // The archive stands alone: the folder it came from is gone.
    const elsewhere = mkdtempSync(join(tmpdir(), 'archive-run-'));
    const moved = join(elsewhere, 'moved.tar');
    writeFileSync(moved, readFileSync(out));
    rmSync(dir, { recursive: true });
    const inspected = cli(['inspect', '--execution-requirements', moved], elsewhere);
    expect(inspected.code).toBe(0);
    const json = JSON.parse(inspected.stdout) as Record<string, unknown>;
    // shared-iterations ends at maxDuration + gracefulStop (20s + 30s); both scenarios overlap: 4 + 3 VUs.
    expect(json.totalDuration).toBe('50s');
    expect(json.maxVUs).toBe(7);
    expect(Object.keys(json.scenarios as object)).toEqual(['s', 'r']);
    const third = JSON.parse(
      cli(
        [
          'inspect',
          '--execution-requirements',
          '--execution-segment',
          '0:1/3',
          '--execution-segment-sequence',
          '0,1/3,2/3,1',
          moved,
        ],
        elsewhere,
      ).stdout,
    ) as Record<string, unknown>;
    expect(third.maxVUs).toBe(2 + 1);
    const ran = spawnSync(process.execPath, [BIN, 'run', '-q', '--no-summary', moved], {
      encoding: 'utf8',
      cwd: elsewhere,
    });
    expect(ran.status).toBe(0);
  });
});
