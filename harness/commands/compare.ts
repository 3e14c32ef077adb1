// `cats-stress compare <baseline> <run>`: the regression gate.
import { writeFile } from 'node:fs/promises';
import type { Command } from '../cli.ts';
import { parseFlags, UsageError } from '../flags.ts';
import {
  compare,
  comparisonMarkdown,
  comparisonTable,
  loadMeasured,
  settingsDifferences,
} from '../report/compare-runs.ts';
import { RunFolderError } from '../report/run-folder.ts';

/** Exit code when a figure regressed beyond its tolerance. */
export const REGRESSION_EXIT = 1;
/** Exit code on bad input, and for runs that measured different things. */
export const NOT_COMPARABLE_EXIT = 2;

const usage = `usage: cats-stress compare <baseline> <run> [--markdown FILE] [--force]

Compares a run with a baseline figure by figure: latency (median, p95, p99)
per metric and per operation, failure and check rates, throughput and dropped
iterations. Each figure has a tolerance (median ±20 %, p95 ±25 %, p99 ±35 %,
failures ±0.5 points, throughput −10 %), widened to three standard errors of
the noise both runs show over their seconds. A note says when the two ran on
different machines.

Runs of a different scenario or settings (scenario, rate, duration, stages,
countries, workers, VUs, engine, data-set seed and size, script environment,
from each run folder's settings.json) are refused with the list of differences.

<baseline> and <run> are run folders, summary JSON files, or a baseline file
recorded by cats-stress baseline (results/baselines/<machine-class>.json).

options:
  --markdown FILE   also write the comparison as markdown (for a CI comment)
  --force           compare runs whose settings differ anyway; the differences are shown above the table

Exit code ${REGRESSION_EXIT} when any figure regressed, 0 otherwise, ${NOT_COMPARABLE_EXIT} on bad input or runs that are not comparable.`;

export const command: Command = {
  name: 'compare',
  summary: 'compare a run with a baseline; exit non-zero on a regression',
  usage,
  async run(argv) {
    const parsed = parseFlags({
      args: argv,
      allowPositionals: true,
      options: { markdown: { type: 'string' }, force: { type: 'boolean', default: false } },
    });
    if (parsed.positionals.length !== 2) throw new UsageError('expected a baseline and a run');
    try {
      const [base, run] = await Promise.all(parsed.positionals.map(loadMeasured));
      const differences = settingsDifferences(base!, run!) ?? [];
      const listed = differences.map((d) => `  ${d}`).join('\n');
      if (differences.length && !parsed.values.force) {
        console.error(
          `cats-stress compare: the runs are not comparable, their settings differ:\n${listed}\nCompare runs of the same scenario and settings, or pass --force to compare them anyway.`,
        );
        return NOT_COMPARABLE_EXIT;
      }
      if (differences.length) console.log(`compared with --force although the settings differ:\n${listed}\n`);
      const result = compare(base!, run!);
      console.log(comparisonTable(result));
      if (parsed.values.markdown) await writeFile(parsed.values.markdown, comparisonMarkdown(result));
      return result.regressions ? REGRESSION_EXIT : 0;
    } catch (err) {
      if (err instanceof RunFolderError) {
        console.error(`cats-stress compare: ${err.message}`);
        return NOT_COMPARABLE_EXIT;
      }
      throw err;
    }
  },
};
