// `cats-stress merge DIR...`: the result folders of a distributed run's instances as one run folder.
import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../cli.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { mergeRunStates } from '../engine/merge-runs.ts';
import { parseRunState, RUN_STATE_FILE, type RunState } from '../engine/summary/run-state.ts';
import { textSummary } from '../engine/summary/text-summary.ts';

const usage = `usage: cats-stress merge --out DIR RUN...

Merges the results of the instances of one distributed run (engine processes
given --execution-segment, e.g. the k6-operator's runners) into the run folder
DIR, as if one instance had run the whole test: counters and rates summed, trends
merged exactly from each instance's histograms, vus and vus_max summed, thresholds
evaluated again. Each RUN is a folder holding ${RUN_STATE_FILE} (written by
'run --state-export FILE') or that file itself. DIR gets summary.json (k6's
handleSummary data, read by report, compare and capacity), ${RUN_STATE_FILE}
(mergeable again) and merge.json (the instances and any warning), and the
first instance's settings.json. Prints the end-of-test summary.

Instances of a real k6 write no histograms: their percentiles cannot be merged
from files; take them from Prometheus native histograms
(K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM), which aggregate over instances.

options:
  -o, --out DIR    the merged run folder (created)

exit codes: 0 merged, 99 merged and thresholds crossed, 2 bad input`;

async function readState(arg: string): Promise<RunState> {
  const file = existsSync(arg) && statSync(arg).isDirectory() ? path.join(arg, RUN_STATE_FILE) : arg;
  if (!existsSync(file))
    throw new UsageError(
      `${arg}: no ${RUN_STATE_FILE} (run each instance with --state-export ${path.join(arg, RUN_STATE_FILE)}; a real k6 writes none: merge its percentiles from Prometheus native histograms)`,
    );
  return parseRunState(await readFile(file, 'utf8'), file);
}

export const command: Command = {
  name: 'merge',
  summary: "combine the result folders of a distributed run's instances into one run folder",
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags({
      args: argv,
      allowPositionals: true,
      options: { out: { type: 'string', short: 'o' } },
    });
    if (!values.out) throw new UsageError('--out DIR is required');
    if (!positionals.length) throw new UsageError('expected the instances’ result folders');
    let states: RunState[];
    try {
      states = await Promise.all(positionals.map(readState));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError((err as Error).message);
    }
    const merged = mergeRunStates(states);
    const out = path.resolve(values.out);
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, 'summary.json'), `${JSON.stringify(merged.summary, null, 2)}\n`);
    await writeFile(path.join(out, RUN_STATE_FILE), JSON.stringify(merged.state));
    await writeFile(
      path.join(out, 'merge.json'),
      `${JSON.stringify(
        {
          instances: positionals.map((p, i) => ({
            from: path.resolve(p),
            tags: states[i].tags,
            executionSegment: states[i].executionSegment,
            executionSegmentSequence: states[i].executionSegmentSequence,
          })),
          warnings: merged.warnings,
          failedThresholds: merged.failedThresholds,
        },
        null,
        2,
      )}\n`,
    );
    const firstDir = positionals.find((p) => existsSync(path.join(p, 'settings.json')));
    if (firstDir) await copyFile(path.join(firstDir, 'settings.json'), path.join(out, 'settings.json'));
    for (const w of merged.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(`\n${textSummary(merged.summary, { indent: ' ', enableColors: false })}\n`);
    if (merged.failedThresholds.length) {
      process.stderr.write(`thresholds crossed: ${merged.failedThresholds.join('; ')}\n`);
      return 99;
    }
    return 0;
  },
};
