// `cats-stress archive script.js`: the test as one self-contained archive (k6's layout), as `k6 archive`.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../cli.ts';
import { keyValueFlags, parseFlags, UsageError } from '../flags.ts';
import { buildArchive, scriptOf } from '../engine/archive/archive.ts';
import { scriptFiles } from '../engine/archive/script-files.ts';
import { loadTest } from '../engine/inspect.ts';

const usage = `usage: cats-stress archive [options] script.js|archive.tar

Packs the script, the local modules it imports and the files its init code
opens into one tar in k6's archive layout (metadata.json, data, file/…), which
'run', 'inspect' (and the k6-operator's initializer) take in place of the script.

options:
  -O, --archive-out FILE   where to write it (default archive.tar)
  -e, --env KEY=VALUE      value for __ENV, kept in the archive, repeatable`;

export const command: Command = {
  name: 'archive',
  summary: "pack a script and what it reads into one archive (as 'k6 archive')",
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags({
      args: argv,
      allowPositionals: true,
      options: {
        'archive-out': { type: 'string', short: 'O', default: 'archive.tar' },
        env: { type: 'string', short: 'e', multiple: true },
      },
    });
    if (positionals.length !== 1) throw new UsageError('expected one script');
    // As k6, an archive can be archived again: its script is unpacked first.
    const { script, env } = await scriptOf(positionals[0]!, keyValueFlags(values.env, '--env'));
    const test = await loadTest(script, { env });
    const files = scriptFiles(test.scriptPath, test.opened);
    const out = path.resolve(values['archive-out']!);
    await writeFile(out, buildArchive(test.scriptPath, files, env, test.options.consolidated));
    return 0;
  },
};
