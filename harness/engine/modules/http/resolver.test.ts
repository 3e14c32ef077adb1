import { describe, expect, it } from 'vitest';
import type { DnsSettings } from '../../options/dns-option.ts';
import { createResolver } from './resolver.ts';

const ADDRESSES = ['2001:db8::1', '10.0.0.1', '10.0.0.2', '2001:db8::2', '10.0.0.3'];

function resolver(settings: Partial<DnsSettings>, addresses = ADDRESSES) {
  let lookups = 0;
  const r = createResolver({ ttlMs: 60_000, select: 'first', policy: 'preferIPv4', ...settings }, async () => {
    lookups++;
    return addresses;
  });
  return { r, lookups: () => lookups };
}

describe("k6's resolver", () => {
  it('narrows by policy and picks by select', async () => {
    expect(await resolver({}).r.address('h')).toBe('10.0.0.1');
    expect(await resolver({ policy: 'preferIPv6' }).r.address('h')).toBe('2001:db8::1');
    expect(await resolver({ policy: 'any' }).r.address('h')).toBe('2001:db8::1');
    expect(await resolver({ policy: 'preferIPv6' }, ['10.0.0.9']).r.address('h')).toBe('10.0.0.9');
    const { r } = resolver({ select: 'roundRobin' });
    const turns = [];
    for (let i = 0; i < 4; i++) turns.push(await r.address('h'));
    expect(turns).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1']);
    const random = resolver({ select: 'random', policy: 'onlyIPv6' }).r;
    const seen = new Set<string>();
    for (let i = 0; i < 64; i++) seen.add(await random.address('h'));
    expect([...seen].sort()).toEqual(['2001:db8::1', '2001:db8::2']);
  });

  it('fails as "no such host" when the policy leaves no address', async () => {
    await expect(resolver({ policy: 'onlyIPv6' }, ['10.0.0.1']).r.address('h')).rejects.toMatchObject({
      code: 'ENOTFOUND',
      message: 'lookup h: no such host',
    });
  });

  it('looks a name up once per ttl, and every time with ttl 0', async () => {
    const cached = resolver({});
    for (let i = 0; i < 5; i++) await cached.r.address('h');
    await cached.r.address('other');
    expect(cached.lookups()).toBe(2);
    const uncached = resolver({ ttlMs: 0 });
    for (let i = 0; i < 5; i++) await uncached.r.address('h');
    expect(uncached.lookups()).toBe(5);
  });
});
