// `cats-stress perf-ci`: the CI performance gate. A short fixed-seed, fixed-rate run of
// the main job, compared against the baseline recorded for this class of machine.
import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../cli.ts';
import { durationFlag, parseFlags } from '../flags.ts';
import { compare, comparisonMarkdown, comparisonTable, loadMeasured } from '../report/compare-runs.ts';
import { defaultMachineClass } from './baseline.ts';
import { REGRESSION_EXIT } from './compare.ts';
import { command as stress } from './stress.ts';

/** The fixed run: same data, same load, every time. */
export const PERF_CI_RUN = { scenario: 'ctd-peak', duration: '30s', rate: '20', seed: 'perf-ci' };

const usage = `usage: cats-stress perf-ci [--machine-class NAME] [--markdown FILE] [--results DIR] [--duration D]

Runs cats-stress stress --scenario ${PERF_CI_RUN.scenario} --duration ${PERF_CI_RUN.duration} --rate ${PERF_CI_RUN.rate} --seed ${PERF_CI_RUN.seed}
and compares the run with <results>/baselines/<machine-class>.json (record one
with cats-stress baseline <run-dir> on the same class of machine).

options:
  --machine-class NAME   default $CATS_STRESS_MACHINE_CLASS or <cores>cpu-<arch> (here ${defaultMachineClass()})
  --markdown FILE        write the comparison as markdown for a CI comment
  --results DIR          default results
  --duration D           override the run length (the baseline must use the same)
  --state-dir DIR        folder for the reference's embedded PostgreSQL (as cats-stress stress)

Exit code ${REGRESSION_EXIT} on a regression, 99 when the run broke an SLO, 2 when no baseline exists.`;

async function newestRun(dir: string, after: number): Promise<string | undefined> {
  let best: [number, string] | undefined;
  for (const name of await readdir(dir)) {
    if (name === 'baselines') continue;
    const s = await stat(path.join(dir, name));
    if (s.isDirectory() && s.birthtimeMs >= after && (!best || s.birthtimeMs > best[0]))
      best = [s.birthtimeMs, path.join(dir, name)];
  }
  return best?.[1];
}

export const command: Command = {
  name: 'perf-ci',
  summary: 'CI gate: a short fixed run compared with the machine class baseline',
  usage,
  async run(argv) {
    const v = parseFlags({
      args: argv,
      options: {
        'machine-class': { type: 'string' },
        markdown: { type: 'string' },
        results: { type: 'string', default: 'results' },
        duration: { type: 'string', default: PERF_CI_RUN.duration },
        'state-dir': { type: 'string' },
      },
    }).values;
    durationFlag(v.duration, '--duration');
    const machineClass = v['machine-class'] ?? defaultMachineClass();
    const baseline = path.join(v.results!, 'baselines', `${machineClass}.json`);
    if (!existsSync(baseline)) {
      console.error(
        `cats-stress perf-ci: no baseline for machine class '${machineClass}' (${baseline}).\nRecord one on this class of machine: cats-stress stress --scenario ${PERF_CI_RUN.scenario} --duration ${v.duration} --rate ${PERF_CI_RUN.rate} --seed ${PERF_CI_RUN.seed}, then cats-stress baseline <run-dir> --machine-class ${machineClass}`,
      );
      return 2;
    }
    const started = Date.now() - 1000;
    const code = await stress.run([
      '--scenario',
      PERF_CI_RUN.scenario,
      '--duration',
      v.duration!,
      '--rate',
      PERF_CI_RUN.rate,
      '--seed',
      PERF_CI_RUN.seed,
      '--results',
      v.results!,
      ...(v['state-dir'] ? ['--state-dir', v['state-dir']] : []),
    ]);
    const run = await newestRun(v.results!, started);
    if (!run || !existsSync(path.join(run, 'summary.json'))) {
      console.error(`cats-stress perf-ci: the run left no summary (exit ${code})`);
      return code || 1;
    }
    const result = compare(await loadMeasured(baseline), await loadMeasured(run));
    console.log(`\n${comparisonTable(result)}`);
    if (v.markdown) await writeFile(v.markdown, comparisonMarkdown(result));
    if (result.regressions) return REGRESSION_EXIT;
    return code;
  },
};
