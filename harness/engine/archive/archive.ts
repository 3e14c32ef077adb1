// `cats-stress archive`: a test as one self-contained tar in k6's archive layout (grafana/k6 v0.49.0
// lib/archive.go): `metadata.json` (the script's file URL, working directory, options and -e values),
// `data` (the script) and every file the test reads under `file/<absolute path>`. `run` and `inspect`
// take such an archive in place of a script: they unpack it and run the script from there.
import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { createTar, parseTar, type ParsedTarFileItem } from 'nanotar';

export interface ArchiveMetadata {
  type: 'js';
  /** The script, as a file URL. */
  filename: string;
  pwd: string;
  /** -e values given to `archive`: the base of __ENV when it runs. */
  env: Record<string, string>;
  /** The script's consolidated options. */
  options: Record<string, unknown>;
  compatibilityMode: 'extended';
  k6version: string;
}

export class ArchiveError extends Error {}

/** The k6 version whose archive layout and API the engine follows. */
export const K6_VERSION = '0.49.0';

const entryName = (file: string): string => `file/${path.resolve(file).replace(/^\/+/, '')}`;

export function buildArchive(
  scriptPath: string,
  files: readonly string[],
  env: Record<string, string>,
  options: Record<string, unknown>,
): Uint8Array {
  const script = path.resolve(scriptPath);
  const metadata: ArchiveMetadata = {
    type: 'js',
    filename: pathToFileURL(script).href,
    pwd: pathToFileURL(path.dirname(script)).href,
    env,
    options,
    compatibilityMode: 'extended',
    k6version: K6_VERSION,
  };
  return createTar([
    { name: 'metadata.json', data: JSON.stringify(metadata, null, 2) },
    { name: 'data', data: readFileSync(script) },
    ...files.map((f) => ({ name: entryName(f), data: readFileSync(f) })),
  ]);
}

/** Whether `file` is a tar archive (the ustar magic), not a script. */
export function isArchive(file: string): boolean {
  try {
    const head = readFileSync(file).subarray(257, 262);
    return head.toString('latin1') === 'ustar';
  } catch {
    return false;
  }
}

/** The script `file` names: itself, or the one an archive holds, with the archive's -e values beneath `env`. */
export async function scriptOf(
  file: string,
  env: Record<string, string>,
): Promise<{ script: string; env: Record<string, string> }> {
  if (!isArchive(file)) return { script: file, env };
  const unpacked = await unpackArchive(file);
  return { script: unpacked.scriptPath, env: { ...unpacked.metadata.env, ...env } };
}

export interface UnpackedArchive {
  dir: string;
  scriptPath: string;
  metadata: ArchiveMetadata;
}

/** Unpacks into a new temporary folder; the script keeps its place relative to the files it reads. */
export async function unpackArchive(file: string): Promise<UnpackedArchive> {
  let items: ParsedTarFileItem[];
  try {
    // A plain Uint8Array: on Node 24, nanotar finds no entries in a Buffer.
    items = parseTar(new Uint8Array(readFileSync(file))) as ParsedTarFileItem[];
  } catch (e) {
    throw new ArchiveError(`${file}: not a readable archive (${(e as Error).message})`);
  }
  const meta = items.find((i) => i.name === 'metadata.json');
  if (!meta?.data) throw new ArchiveError(`${file}: an archive without metadata.json`);
  const metadata = JSON.parse(new TextDecoder().decode(meta.data)) as ArchiveMetadata;
  const dir = mkdtempSync(path.join(tmpdir(), 'cats-stress-archive-'));
  for (const item of items) {
    if (!item.name.startsWith('file/') || !item.data) continue;
    const target = path.join(dir, item.name);
    if (!target.startsWith(`${dir}${path.sep}`))
      throw new ArchiveError(`${file}: entry ${item.name} leaves the archive`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, item.data);
  }
  const scriptPath = path.join(dir, entryName(fileURLToPath(metadata.filename)));
  return { dir, scriptPath, metadata };
}
