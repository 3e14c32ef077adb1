// Command-line flags of every cats-stress command: parsing and the checks they share.
// Every problem with a command's flags or arguments is a UsageError; cli.ts answers it
// once for all commands, with the message, the command's usage and exit code 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseDuration } from './engine/options/duration.ts';
import { parseAnchor, type ClockAnchor } from '../reference/domain/business-clock.ts';

export class UsageError extends Error {}

/** node:util parseArgs (strict), an unknown flag or a missing value thrown as a UsageError. */
export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    if (String((err as { code?: string }).code).startsWith('ERR_PARSE_ARGS'))
      throw new UsageError((err as Error).message, { cause: err });
    throw err;
  }
}

/** A number in [min, max] (whole when `integer`), or undefined when the flag was not given. */
export function numberFlag(
  value: string | undefined,
  flag: string,
  range: { min?: number; max?: number; integer?: boolean; above?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  const { min = -Infinity, max = Infinity, integer = false, above } = range;
  const ok = Number.isFinite(n) && n >= min && n <= max && (above === undefined || n > above);
  if (!ok || (integer && !Number.isInteger(n))) {
    const kind = integer ? 'a whole number' : 'a number';
    const lower = above !== undefined ? `above ${above}` : min > -Infinity ? `at least ${min}` : '';
    const upper = max < Infinity ? `at most ${max}` : '';
    const bounds = [lower, upper].filter(Boolean).join(' and ');
    throw new UsageError(`${flag} must be ${kind}${bounds ? ` ${bounds}` : ''}, got '${value}'`);
  }
  return n;
}

/** A TCP port, 0 for a free one. */
export function portFlag(value: string | undefined, flag = '--port'): number | undefined {
  return numberFlag(value, flag, { min: 0, max: 65535, integer: true });
}

/** A k6 duration ('30s', '1m30s'), in milliseconds. */
export function durationFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseDuration(value, flag);
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
}

/** KEY=VALUE items of a repeatable flag (-e, --tag) as an object. */
export function keyValueFlags(list: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} ${item}: expected KEY=VALUE`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/**
 * The business clock of a part from --time-factor / --clock-epoch, else CATS_TIME_FACTOR /
 * CATS_CLOCK_EPOCH; without an epoch, business time starts from now at that factor.
 */
export function clockFlag(factor: string | undefined, epoch: string | undefined): ClockAnchor {
  try {
    return parseAnchor(
      factor ?? process.env.CATS_TIME_FACTOR ?? '1',
      epoch ?? (process.env.CATS_CLOCK_EPOCH || undefined),
      Date.now(),
    );
  } catch (err) {
    throw new UsageError(`--time-factor/--clock-epoch: ${(err as Error).message}`, { cause: err });
  }
}
