// k6's `localIPs` option (lib/types/ipblock.go): the local addresses connections are made from,
// as a list of addresses, ranges (a-b) and CIDR blocks; VU n takes the pool's address n−1,
// round the pool.
import { isIP } from 'node:net';

interface Block {
  first: bigint;
  /** Addresses before this block in the pool. */
  start: bigint;
  v6: boolean;
}

export interface LocalAddressPool {
  size: bigint;
  /** The address VU `index` + 1 connects from. */
  at(index: number): string;
}

/** Parses a `localIPs` value; throws an Error naming the part it cannot read. */
export function localAddressPool(value: string): LocalAddressPool {
  const blocks: Block[] = [];
  let size = 0n;
  for (const part of value.split(',')) {
    const b = block(part.trim());
    blocks.push({ first: b.first, start: size, v6: b.v6 });
    size += b.count;
  }
  const last = [...blocks].reverse();
  return {
    size,
    at(index) {
      const i = BigInt(index) % size;
      const b = last.find((x) => i >= x.start)!;
      return format(b.first + i - b.start, b.v6);
    },
  };
}

function block(s: string): { first: bigint; count: bigint; v6: boolean } {
  if (s.includes('-')) {
    const [a, b] = s.split('-', 2).map((x) => x.trim());
    const fa = isIP(a!);
    const fb = isIP(b!);
    if (!fa || !fb) throw new Error(`localIPs: wrong IP range format: ${s}`);
    if (fa !== fb) throw new Error(`localIPs: mixed IP range format: ${s}`);
    const first = toBig(a!);
    const count = toBig(b!) - first + 1n;
    if (count <= 0n) throw new Error(`localIPs: negative IP range: ${s}`);
    return { first, count, v6: fa === 6 };
  }
  if (s.includes('/')) {
    const [ip, bitsText] = s.split('/', 2);
    const family = isIP(ip!);
    const width = family === 6 ? 128 : 32;
    const bits = Number(bitsText);
    if (!family || !/^\d+$/.test(bitsText!) || bits > width)
      throw new Error(`localIPs: ${s} is not a valid CIDR block`);
    const hostBits = BigInt(width - bits);
    let first = (toBig(ip!) >> hostBits) << hostBits;
    let count = 1n << hostBits;
    // As k6: an IPv4 block of more than two leaves out its network and broadcast addresses.
    if (family === 4 && count > 2n) {
      first += 1n;
      count -= 2n;
    }
    return { first, count, v6: family === 6 };
  }
  const family = isIP(s);
  if (!family) throw new Error(`localIPs: ${s} is not a valid IP, IP range or CIDR`);
  return { first: toBig(s), count: 1n, v6: family === 6 };
}

function toBig(ip: string): bigint {
  if (isIP(ip) === 4) return ip.split('.').reduce((n, o) => (n << 8n) + BigInt(Number(o)), 0n);
  const [head, tail = ''] = ip.split('::');
  const groups = (t: string) => (t ? t.split(':') : []);
  let h = groups(head!);
  let t = groups(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4) is two groups.
  const v4 = (g: string[]) => {
    const last = g[g.length - 1];
    if (!last?.includes('.')) return g;
    const n = toBig(last);
    return [...g.slice(0, -1), (n >> 16n).toString(16), (n & 0xffffn).toString(16)];
  };
  h = v4(h);
  t = v4(t);
  const all = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return all.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function format(n: bigint, v6: boolean): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  return groups.join(':');
}
