// k6's resolver (lib/netext/resolver.go) as the `lookup` of the engine's connections: a name's
// addresses are cached for the `dns` ttl, narrowed by its policy, and each connection takes one
// of them by its select rule (k6's defaults: 5 minutes, preferIPv4, random).
import { lookup as systemLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { DnsSettings } from '../../options/dns-option.ts';

type Resolve = (host: string) => Promise<string[]>;

const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) =>
    systemLookup(host, { all: true, order: 'verbatim' }, (err, addresses: LookupAddress[]) =>
      err ? reject(err) : resolve(addresses.map((a) => a.address)),
    ),
  );

export function createResolver(settings: DnsSettings, resolve: Resolve = systemResolve) {
  const cache = new Map<string, { addresses: string[]; until: number }>();
  const turns = new Map<string, number>();

  function narrow(addresses: string[]): string[] {
    const v4 = addresses.filter((a) => isIP(a) === 4);
    const v6 = addresses.filter((a) => isIP(a) === 6);
    switch (settings.policy) {
      case 'preferIPv4':
        return v4.length ? v4 : v6;
      case 'preferIPv6':
        return v6.length ? v6 : v4;
      case 'onlyIPv4':
        return v4;
      case 'onlyIPv6':
        return v6;
      default:
        return addresses;
    }
  }

  function pick(host: string, addresses: string[]): string | undefined {
    if (addresses.length === 0) return undefined;
    if (settings.select === 'first') return addresses[0];
    if (settings.select === 'random') return addresses[Math.floor(Math.random() * addresses.length)];
    const turn = turns.get(host) ?? 0;
    turns.set(host, (turn + 1) % 256); // k6 counts in a uint8
    return addresses[turn % addresses.length];
  }

  /** The address the next connection to `host` goes to. */
  async function address(host: string): Promise<string> {
    const now = Date.now();
    let entry = cache.get(host);
    if (!entry || now >= entry.until) {
      entry = { addresses: narrow(await resolve(host)), until: now + settings.ttlMs };
      if (settings.ttlMs > 0) cache.set(host, entry);
    }
    const chosen = pick(host, entry.addresses);
    if (chosen === undefined)
      throw Object.assign(new Error(`lookup ${host}: no such host`), { code: 'ENOTFOUND', hostname: host });
    return chosen;
  }

  /** As net.connect's `lookup` option. */
  const lookup: LookupFunction = (host, options, callback) => {
    address(host).then(
      (a) => {
        const family = isIP(a);
        if (options.all)
          (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, [{ address: a, family }]);
        else callback(null, a, family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
  return { address, lookup };
}
