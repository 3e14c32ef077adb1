// The files a script needs besides the engine: its own modules (followed through their static
// imports) and the files its init code opened.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SyncGraph } from '../runtime/sync-transform.ts';

const LOCAL = /\.(m?js|m?ts)$/;
// TypeScript is not parsed here: its static imports are found by their text.
const TS_IMPORT =
  /(?:^|[\n;])\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]/g;

function importsOf(url: string, code: string, graph: SyncGraph): string[] {
  if (/\.m?js$/.test(url)) return graph.add(url, code);
  const out: string[] = [];
  for (const m of code.matchAll(TS_IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:')) out.push(new URL(spec, url).href);
  }
  return out;
}

/** Absolute paths of the script and the local modules it imports, then the opened files; the script first. */
export function scriptFiles(scriptPath: string, opened: readonly string[]): string[] {
  const graph = new SyncGraph('cats-stress:archive');
  const seen = new Set<string>();
  const queue = [pathToFileURL(scriptPath).href];
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const file = fileURLToPath(url);
    for (const dep of importsOf(url, readFileSync(file, 'utf8'), graph)) {
      const [bare] = dep.split('?');
      if (bare.startsWith('file:') && LOCAL.test(bare) && existsSync(fileURLToPath(bare)) && !seen.has(bare))
        queue.push(bare);
    }
  }
  return [...new Set([...[...seen].map((u) => fileURLToPath(u)), ...opened])];
}
