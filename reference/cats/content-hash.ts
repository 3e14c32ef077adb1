// SHA-256 of a JSON value with object keys sorted, so the same declaration
// sent with its keys in another order replays instead of conflicting.
import { createHash } from 'node:crypto';

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

export function contentHash(value: unknown): Buffer {
  return createHash('sha256').update(canonical(value)).digest();
}
