// k6's --config file (cmd/config.go): a JSON object of k6 options at the top level, plus `out`. It is the
// lowest layer after the defaults: config file < the script's options < K6_* variables < flags.
import { readFileSync } from 'node:fs';
import { OptionsError } from './options.ts';

export interface ConfigFile {
  /** k6 options by their script name. */
  options: Record<string, unknown>;
  /** `out`: outputs used when neither --out nor K6_OUT names any. */
  outputs?: string[];
}

// Keys of k6's Config that are not options and that the engine has no use for.
const NOT_OPTIONS = new Set(['out', 'linger', 'noUsageReport', 'webDashboard', 'collectors']);

/** Reads a k6 config file; throws OptionsError naming the file when it is missing or not a JSON object. */
export function readConfigFile(file: string): ConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new OptionsError(`couldn't load the configuration from ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new OptionsError(`the configuration in ${JSON.stringify(file)} must be a JSON object of k6 options`);
  const all = parsed as Record<string, unknown>;
  const out = all.out;
  if (out !== undefined && !(Array.isArray(out) && out.every((o) => typeof o === 'string')))
    throw new OptionsError(`${file}: "out" must be a list of outputs, e.g. ["json=results.json"]`);
  return {
    options: Object.fromEntries(Object.entries(all).filter(([k]) => !NOT_OPTIONS.has(k))),
    outputs: out as string[] | undefined,
  };
}

const TIMING = ['duration', 'iterations', 'stages', 'scenarios'];

/**
 * The script's options over the config file's. As k6's Options.Apply: a layer that sets duration,
 * iterations, stages or scenarios replaces all four from the layer below.
 */
export function underScript(file: Record<string, unknown>, script: Record<string, unknown> = {}) {
  const below = { ...file };
  if (TIMING.some((k) => script[k] !== undefined)) for (const k of TIMING) delete below[k];
  return { ...below, ...script };
}
