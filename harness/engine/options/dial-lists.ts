// The entries of k6's `blockHostnames` and `blacklistIPs` options (applied by modules/http/dial-policy.ts).
import { BlockList, isIP } from 'node:net';

/** A `blockHostnames` pattern: a name, or `*` then the end of one (`*.example.com`), as k6's hostname trie. */
export function hostnamePatternError(p: unknown): string | undefined {
  if (typeof p !== 'string' || p === '') return 'must be a non-empty host name';
  if (p.lastIndexOf('*') > 0) return 'may have a wildcard (*) at its start only';
  return undefined;
}

export interface AddressRange {
  text: string;
  list: BlockList;
}

/** A `blacklistIPs` range in CIDR notation (`10.0.0.0/8`, `fd00::/8`). */
export function addressRange(text: string): AddressRange | undefined {
  const m = /^(.+)\/(\d{1,3})$/.exec(text);
  const family = m && isIP(m[1]!);
  if (!m || !family || Number(m[2]) > (family === 4 ? 32 : 128)) return undefined;
  const list = new BlockList();
  list.addSubnet(m[1]!, Number(m[2]), family === 4 ? 'ipv4' : 'ipv6');
  return { text, list };
}

export const rangeError = (r: unknown): string | undefined =>
  typeof r === 'string' && addressRange(r) ? undefined : 'must be a range in CIDR notation, e.g. 10.0.0.0/8';
