// `cats-stress inspect script.js|archive.tar`: the test's consolidated options as JSON, as `k6 inspect`.
import type { Command } from '../cli.ts';
import { keyValueFlags, parseFlags, UsageError } from '../flags.ts';
import { scriptOf } from '../engine/archive/archive.ts';
import { executionRequirements, loadTest } from '../engine/inspect.ts';

const usage = `usage: cats-stress inspect [options] script.js|archive.tar

Prints the test's consolidated options as JSON, as 'k6 inspect'.

options:
      --execution-requirements  add k6's totalDuration and maxVUs (what the k6-operator reads)
      --execution-segment SEG, --execution-segment-sequence SEQ   requirements of one segment
  -e, --env KEY=VALUE      value for __ENV, repeatable`;

export const command: Command = {
  name: 'inspect',
  summary: "print a script's or archive's options and execution requirements (as 'k6 inspect')",
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags({
      args: argv,
      allowPositionals: true,
      options: {
        'execution-requirements': { type: 'boolean' },
        'execution-segment': { type: 'string' },
        'execution-segment-sequence': { type: 'string' },
        env: { type: 'string', short: 'e', multiple: true },
      },
    });
    if (positionals.length !== 1) throw new UsageError('expected one script or archive');
    const { script, env } = await scriptOf(positionals[0]!, keyValueFlags(values.env, '--env'));
    const segment = Object.fromEntries(
      Object.entries({
        executionSegment: values['execution-segment'],
        executionSegmentSequence: values['execution-segment-sequence'],
      }).filter(([, v]) => v !== undefined),
    );
    const test = await loadTest(script, { env, overrides: { options: segment }, stderr: process.stderr });
    const options = test.options.consolidated;
    const out = values['execution-requirements'] ? { ...options, ...executionRequirements(test.options) } : options;
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  },
};
