// k6's `dns` option (lib/types/dns.go): how long a lookup is cached, which of its addresses a
// connection takes and which address families count. Given as { ttl, select, policy } or, in
// K6_DNS and --dns, as 'ttl=1m,select=first,policy=any'. k6's defaults apply without it.
import { parseDuration } from './duration.ts';

export type DnsSelect = 'first' | 'random' | 'roundRobin';
export type DnsPolicy = 'preferIPv4' | 'preferIPv6' | 'onlyIPv4' | 'onlyIPv6' | 'any';

export interface DnsSettings {
  /** How long a lookup's addresses are reused (0: looked up for every connection). */
  ttlMs: number;
  select: DnsSelect;
  policy: DnsPolicy;
}

const SELECTS: DnsSelect[] = ['first', 'random', 'roundRobin'];
const POLICIES: DnsPolicy[] = ['preferIPv4', 'preferIPv6', 'onlyIPv4', 'onlyIPv6', 'any'];
const DEFAULT_TTL = '5m';
// k6's "inf": a year.
const INFINITE_MS = 365 * 86_400_000;

/** The settings `dns` asks for, k6's defaults (5m, random, preferIPv4) filling what it leaves out. */
export function dnsSettings(value: unknown): DnsSettings {
  let fields: Record<string, unknown>;
  if (value === undefined || value === null) fields = {};
  else if (typeof value === 'string') {
    fields = {};
    for (const item of value.split(',')) {
      const eq = item.indexOf('=');
      if (eq < 0) throw new Error(`dns: no value for key ${item} (e.g. 'ttl=1m,select=first,policy=any')`);
      fields[item.slice(0, eq)] = item.slice(eq + 1);
    }
  } else if (typeof value === 'object' && !Array.isArray(value)) fields = value as Record<string, unknown>;
  else throw new Error(`dns: expected { ttl, select, policy } or 'ttl=1m,select=first,policy=any'`);
  for (const k of Object.keys(fields))
    if (!['ttl', 'select', 'policy'].includes(k)) throw new Error(`dns: unknown DNS configuration field: ${k}`);
  const { ttl, select = 'random', policy = 'preferIPv4' } = fields;
  if (!SELECTS.includes(select as DnsSelect))
    throw new Error(`dns: select ${JSON.stringify(select)} is not one of ${SELECTS.join(', ')}`);
  if (!POLICIES.includes(policy as DnsPolicy))
    throw new Error(`dns: policy ${JSON.stringify(policy)} is not one of ${POLICIES.join(', ')}`);
  return { ttlMs: ttlMs(ttl), select: select as DnsSelect, policy: policy as DnsPolicy };
}

function ttlMs(ttl: unknown): number {
  if (ttl === 'inf') return INFINITE_MS;
  if (ttl === undefined || ttl === null || ttl === '') return parseDuration(DEFAULT_TTL);
  try {
    return parseDuration(ttl, 'dns ttl');
  } catch {
    throw new Error(`dns: invalid DNS TTL: ${String(ttl)} (a duration such as '1m', '0' for no cache, 'inf')`);
  }
}
