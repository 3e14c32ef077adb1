// `cats-stress baseline <run-dir>`: records a run as the baseline of its machine class.
import { statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import type { Command } from '../cli.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { BASELINE_KIND, loadMeasured, type Baseline } from '../report/compare-runs.ts';
import { RunFolderError } from '../report/run-folder.ts';

/** Machines of one class give comparable figures; the default names the core count and architecture. */
export function defaultMachineClass(): string {
  return process.env.CATS_STRESS_MACHINE_CLASS ?? `${cpus().length}cpu-${process.arch}`;
}

const usage = `usage: cats-stress baseline <run-dir> [--machine-class NAME] [--results DIR]

Records the run as the baseline that cats-stress compare (and npm run perf:ci)
checks later runs against: <results>/baselines/<machine-class>.json with the
run's summary, the noise of each figure over its seconds, the machine facts and,
when the run folder has one (perf-ci --baseline writes it), the host's calibration.

options:
  --machine-class NAME   default $CATS_STRESS_MACHINE_CLASS or <cores>cpu-<arch> (here ${defaultMachineClass()})
  --results DIR          default results`;

export async function recordBaseline(runDir: string, machineClass: string, resultsDir: string): Promise<string> {
  if (!statSync(runDir, { throwIfNoEntry: false })?.isDirectory())
    throw new RunFolderError(`${runDir}: no such run folder`);
  const m = await loadMeasured(runDir);
  const baseline: Baseline = {
    kind: BASELINE_KIND,
    machineClass,
    recordedAt: new Date().toISOString(),
    run: m.label,
    machine: m.machine,
    settings: m.settings,
    summary: m.summary,
    noise: m.noise,
    operations: m.operations,
    samples: m.samples,
    calibration: m.calibration,
  };
  const dir = path.join(resultsDir, 'baselines');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${machineClass}.json`);
  await writeFile(file, `${JSON.stringify(baseline, null, 2)}\n`);
  return file;
}

export const command: Command = {
  name: 'baseline',
  summary: 'record a run as the regression baseline of its machine class',
  usage,
  async run(argv) {
    const parsed = parseFlags({
      args: argv,
      allowPositionals: true,
      options: { 'machine-class': { type: 'string' }, results: { type: 'string', default: 'results' } },
    });
    const machineClass = parsed.values['machine-class'] ?? defaultMachineClass();
    if (parsed.positionals.length !== 1 || !/^[A-Za-z0-9._-]+$/.test(machineClass))
      throw new UsageError("expected one run folder and a machine class of letters, digits, '.', '_' or '-'");
    try {
      console.log(await recordBaseline(parsed.positionals[0]!, machineClass, parsed.values.results!));
      return 0;
    } catch (err) {
      if (err instanceof RunFolderError) {
        console.error(`cats-stress baseline: ${err.message}`);
        return 2;
      }
      throw err;
    }
  },
};
