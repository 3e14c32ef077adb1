// k6's `blockHostnames` and `blacklistIPs` (lib/netext/dialer.go): a connection to a blocked host name,
// or to an address in a blacklisted range, is refused before it is made, with k6's error codes.
import { isIP } from 'node:net';
import { addressRange, type AddressRange } from '../../options/dial-lists.ts';

export class DialRefused extends Error {
  constructor(
    readonly code: 'K6_BLOCKED_HOSTNAME' | 'K6_BLACKLISTED_IP',
    message: string,
  ) {
    super(message);
  }
}

let patterns: string[] = [];
let ranges: AddressRange[] = [];

/** Applies the options (validated by the options parser). */
export function configureDialPolicy(blockHostnames: unknown, blacklistIPs: unknown): void {
  patterns = Array.isArray(blockHostnames) ? blockHostnames.map((p) => String(p).toLowerCase()) : [];
  ranges = Array.isArray(blacklistIPs) ? blacklistIPs.map((r) => addressRange(String(r))!).filter(Boolean) : [];
}

/** Why a connection to this host name is refused, if it is (IP literals are not names). */
export function refuseHostname(hostname: string): DialRefused | undefined {
  if (patterns.length === 0 || isIP(hostname)) return undefined;
  const name = hostname.toLowerCase();
  const match = patterns.find((p) => (p.startsWith('*') ? name.endsWith(p.slice(1)) : name === p));
  return match === undefined
    ? undefined
    : new DialRefused('K6_BLOCKED_HOSTNAME', `hostname (${hostname}) is in a blocked pattern (${match})`);
}

/** Why a connection to this address is refused, if it is. */
export function refuseAddress(address: string): DialRefused | undefined {
  const family = isIP(address);
  if (ranges.length === 0 || !family) return undefined;
  const hit = ranges.find((r) => r.list.check(address, family === 4 ? 'ipv4' : 'ipv6'));
  return hit && new DialRefused('K6_BLACKLISTED_IP', `IP (${address}) is in a blacklisted range (${hit.text})`);
}
