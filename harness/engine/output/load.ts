// `--out NAME[=ARG]`: loads harness/engine/output/NAME.ts (k6's names).
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MetricDescription, Output, OutputFactory } from './output.ts';

const ALIASES: Record<string, string> = { 'experimental-prometheus-rw': 'prometheus-rw' };
const DIR = new URL('./', import.meta.url);
const NOT_OUTPUTS = new Set(['output', 'load']);

function available(): string[] {
  return readdirSync(fileURLToPath(DIR))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .filter((n) => !NOT_OUTPUTS.has(n))
    .map((n) => Object.entries(ALIASES).find(([, file]) => file === n)?.[0] ?? n);
}

export interface OutputContext {
  env: Record<string, string | undefined>;
  testId: string;
  metrics: (name: string) => MetricDescription | undefined;
}

export async function loadOutput(spec: string, params: OutputContext): Promise<Output> {
  const eq = spec.indexOf('=');
  const name = eq < 0 ? spec : spec.slice(0, eq);
  const arg = eq < 0 ? undefined : spec.slice(eq + 1);
  const file = ALIASES[name] ?? name;
  const url = new URL(`./${file}.ts`, DIR);
  if (!/^[a-z0-9-]+$/.test(file) || NOT_OUTPUTS.has(file) || !existsSync(url))
    throw new Error(`--out ${name}: unknown output (available: ${available().join(', ') || 'none'})`);
  const mod = (await import(url.href)) as { create?: OutputFactory };
  if (typeof mod.create !== 'function') throw new Error(`--out ${name}: ${file}.ts does not export create()`);
  return mod.create({ arg, env: params.env, testId: params.testId, metrics: params.metrics });
}
