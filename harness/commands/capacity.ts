// `cats-stress capacity <run-dir>...`: how much corridor traffic the deployment carries.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../cli.ts';
import { numberFlag, parseFlags, UsageError } from '../flags.ts';
import { capacityLines, capacityOf, DEFAULT_SLO } from '../report/capacity-model.ts';
import { readRunFolder, RunFolderError } from '../report/run-folder.ts';
import { writeRunReport } from '../report/run-report.ts';

const usage = `usage: cats-stress capacity <run-dir> [<run-dir>...] [options]

From one run that ramps the CTD rate (breakpoint, ctd-peak): the busiest
window of --window seconds whose CTD submissions met the SLOs. From several
runs at stepped rates: the busiest run that met them. That rate is converted
to movements per hour and per day (the corridor's peak day, shaped by its
hourly profile) and set against the projected corridor demand of the run's
countries and year (from the generators' sourced volumes, grown at their
annual rate): headroom as a factor and as years of growth. Names what gave
way first above it, and, when the run folder has sut.ndjson (cats-stress
stress samples every part's /metrics), which resource of the system under
test reached its limit first (CPU, event-loop lag, DB pool, ICE queue). Writes capacity.json into the (last) run folder and adds
a Capacity section to its report.html.

options:
  --p95 MS          SLO on CTD submission p95 (default ${DEFAULT_SLO.p95})
  --p99 MS          SLO on CTD submission p99 (default ${DEFAULT_SLO.p99})
  --errors SHARE    SLO on failed submissions, 0–1 (default ${DEFAULT_SLO.errorRate})
  --window S        window length for a single run, seconds (default 10)`;

export const command: Command = {
  name: 'capacity',
  summary: 'highest sustained CTD rate within the SLOs, against projected corridor demand',
  usage,
  async run(argv) {
    const parsed = parseFlags({
      args: argv,
      allowPositionals: true,
      options: {
        p95: { type: 'string' },
        p99: { type: 'string' },
        errors: { type: 'string' },
        window: { type: 'string' },
      },
    });
    if (parsed.positionals.length === 0) throw new UsageError('expected at least one run folder');
    const v = parsed.values;
    const slo = {
      p95: numberFlag(v.p95, '--p95', { above: 0 }) ?? DEFAULT_SLO.p95,
      p99: numberFlag(v.p99, '--p99', { above: 0 }) ?? DEFAULT_SLO.p99,
      errorRate: numberFlag(v.errors, '--errors', { above: 0, max: 1 }) ?? DEFAULT_SLO.errorRate,
    };
    const windowSeconds = Math.round(numberFlag(v.window, '--window', { above: 0 }) ?? 10);
    try {
      const runs = await Promise.all(parsed.positionals.map(readRunFolder));
      const result = capacityOf(runs, { slo, windowSeconds });
      const target = runs[runs.length - 1]!.dir;
      const file = path.join(target, 'capacity.json');
      await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
      const report = await writeRunReport(target);
      console.log([...capacityLines(result), `capacity.json    ${file}`, `report           ${report}`].join('\n'));
      return 0;
    } catch (err) {
      if (err instanceof RunFolderError) {
        console.error(`cats-stress capacity: ${err.message}`);
        return 2;
      }
      throw err;
    }
  },
};
