// The spec is what other implementations build against: it depends on nothing
// else in the project (the reference node's domain and store depend on it).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const specDir = fileURLToPath(new URL('.', import.meta.url));

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(full)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

it('imports nothing from outside reference/spec but packages', async () => {
  const outside: string[] = [];
  for (const file of await sources(specDir)) {
    const text = await readFile(file, 'utf8');
    for (const [, target] of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const resolved = path.resolve(path.dirname(file), target!);
      if (!resolved.startsWith(specDir)) outside.push(`${path.relative(specDir, file)} → ${target}`);
    }
  }
  expect(outside).toEqual([]);
});
