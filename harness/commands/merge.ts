// `cats-stress merge DIR...`: the result folders of a distributed run's instances as one run folder.
import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../cli.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { mergeK6Summaries, prometheusTrendStats } from '../engine/merge-k6-summaries.ts';
import { mergeRunStates } from '../engine/merge-runs.ts';
import { parseRunState, RUN_STATE_FILE, RunStateError, type RunState } from '../engine/summary/run-state.ts';
import type { SummaryData } from '../engine/summary/summary-data.ts';
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

Instances of a real k6 write no run state and no histograms: give each RUN as a
folder holding summary.json (k6's handleSummary data) or that file. Counters,
rates, checks, VUs and trends' min and max are merged from the summaries; trends'
averages, medians and percentiles are read from Prometheus native histograms
(the instances ran with -o experimental-prometheus-rw, the same --tag testid=ID
and K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM=true), which add up over
instances. merge.json and stderr say which statistics came from where; without
--prometheus they are left out.

options:
  -o, --out DIR          the merged run folder (created)
  --prometheus URL       real-k6 instances: the Prometheus they remote-wrote to
  --testid ID            real-k6 instances: the run's testid tag there

exit codes: 0 merged, 99 merged and thresholds crossed, 2 bad input`;

type Instance = { from: string; state: RunState } | { from: string; summary: SummaryData };

/** An engine instance's run state, or a real k6 instance's summary (handleSummary data). */
async function readInstance(arg: string): Promise<Instance> {
  const dir = existsSync(arg) && statSync(arg).isDirectory();
  const file = dir
    ? [RUN_STATE_FILE, 'summary.json'].map((f) => path.join(arg, f)).find((f) => existsSync(f))
    : existsSync(arg)
      ? arg
      : undefined;
  if (!file)
    throw new UsageError(
      `${arg}: neither ${RUN_STATE_FILE} (run each engine instance with --state-export ${path.join(arg, RUN_STATE_FILE)}) nor a real k6's summary.json`,
    );
  const text = await readFile(file, 'utf8');
  try {
    return { from: arg, state: parseRunState(text, file) };
  } catch (err) {
    if (!(err instanceof RunStateError)) throw err;
    const data = JSON.parse(text) as Partial<SummaryData>;
    if (data && typeof data.metrics === 'object' && typeof data.state?.testRunDurationMs === 'number')
      return { from: arg, summary: data as SummaryData };
    throw new UsageError(`${file}: neither a run state written by --state-export nor k6's summary data`);
  }
}

export const command: Command = {
  name: 'merge',
  summary: "combine the result folders of a distributed run's instances into one run folder",
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        prometheus: { type: 'string' },
        testid: { type: 'string' },
      },
    });
    if (!values.out) throw new UsageError('--out DIR is required');
    if (!positionals.length) throw new UsageError('expected the instances’ result folders');
    if (Boolean(values.prometheus) !== Boolean(values.testid))
      throw new UsageError('--prometheus URL and --testid ID go together');
    let instances: Instance[];
    try {
      instances = await Promise.all(positionals.map(readInstance));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError((err as Error).message);
    }
    const states = instances.flatMap((i) => ('state' in i ? [i.state] : []));
    const summaries = instances.flatMap((i) => ('summary' in i ? [i.summary] : []));
    if (states.length && summaries.length)
      throw new UsageError('the instances are a mix of engine run states and real k6 summaries: merge one kind');
    if (states.length && values.prometheus)
      throw new UsageError('--prometheus is for real-k6 instances: engine instances merge their own histograms');
    const out = path.resolve(values.out);
    let merged: { summary: SummaryData; failedThresholds: string[]; warnings: string[]; notes?: string[] };
    if (states.length) {
      const m = mergeRunStates(states);
      merged = m;
      await mkdir(out, { recursive: true });
      await writeFile(path.join(out, RUN_STATE_FILE), JSON.stringify(m.state));
    } else {
      const trends = values.prometheus ? prometheusTrendStats(values.prometheus, values.testid!) : undefined;
      const m = await mergeK6Summaries(summaries, trends);
      merged = m;
      await mkdir(out, { recursive: true });
    }
    await writeFile(path.join(out, 'summary.json'), `${JSON.stringify(merged.summary, null, 2)}\n`);
    await writeFile(
      path.join(out, 'merge.json'),
      `${JSON.stringify(
        {
          instances: instances.map((i) =>
            'state' in i
              ? {
                  from: path.resolve(i.from),
                  tags: i.state.tags,
                  executionSegment: i.state.executionSegment,
                  executionSegmentSequence: i.state.executionSegmentSequence,
                }
              : { from: path.resolve(i.from), k6Summary: true },
          ),
          ...(summaries.length && values.prometheus
            ? { trendsFrom: { prometheus: values.prometheus, testid: values.testid } }
            : {}),
          notes: merged.notes ?? [],
          warnings: merged.warnings,
          failedThresholds: merged.failedThresholds,
        },
        null,
        2,
      )}\n`,
    );
    const firstDir = positionals.find((p) => existsSync(path.join(p, 'settings.json')));
    if (firstDir) await copyFile(path.join(firstDir, 'settings.json'), path.join(out, 'settings.json'));
    for (const n of merged.notes ?? []) process.stderr.write(`note: ${n}\n`);
    for (const w of merged.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(`\n${textSummary(merged.summary, { indent: ' ', enableColors: false })}\n`);
    if (merged.failedThresholds.length) {
      process.stderr.write(`thresholds crossed: ${merged.failedThresholds.join('; ')}\n`);
      return 99;
    }
    return 0;
  },
};
