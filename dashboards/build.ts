// Writes the generated observability files (see generated-files.ts).
//   npx tsx dashboards/build.ts           write them
//   npx tsx dashboards/build.ts --check   exit 1 and name the files that differ from the code
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(check: boolean): Promise<number> {
  const stale: string[] = [];
  for (const [file, content] of generatedFiles()) {
    const target = path.join(root, file);
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current === content) continue;
    if (check) {
      stale.push(file);
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    console.log(`wrote ${file}`);
  }
  if (stale.length) {
    console.error(`out of date (run: npx tsx dashboards/build.ts):\n  ${stale.join('\n  ')}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv.includes('--check'));
