// `cats-stress report <run-dir>`: (re)builds the run's self-contained report.html.
import type { Command } from '../cli.ts';
import { parseFlags, UsageError } from '../flags.ts';
import { RunFolderError } from '../report/run-folder.ts';
import { writeRunReport } from '../report/run-report.ts';

const usage = `usage: cats-stress report <run-dir>

Builds <run-dir>/report.html from the run's summary.json, settings, data-set
manifest and time series (timeseries.ndjson, or samples.json.gz when the run
kept raw samples), and the capacity.json that cats-stress capacity writes.
The page needs no network: open it in any browser. Prints its path.`;

export const command: Command = {
  name: 'report',
  summary: 'build a run folder’s self-contained report.html',
  usage,
  async run(argv) {
    const positionals = parseFlags({ args: argv, allowPositionals: true, options: {} }).positionals;
    if (positionals.length !== 1) throw new UsageError('expected one run folder');
    try {
      console.log(await writeRunReport(positionals[0]!));
      return 0;
    } catch (err) {
      if (err instanceof RunFolderError) {
        console.error(`cats-stress report: ${err.message}`);
        return 2;
      }
      throw err;
    }
  },
};
