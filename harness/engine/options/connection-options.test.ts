// k6's connection options as the engine reads them: TLS, dns and localIPs.
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../testing/tls.ts';
import { dnsSettings } from './dns-option.ts';
import { localAddressPool } from './local-ips.ts';
import { consolidateOptions } from './options.ts';
import { certificateFor, tlsSettings } from './tls-options.ts';

describe('TLS options', () => {
  it('maps versions and Go suite names, keeping TLS 1.3 suites as Go does', () => {
    expect(tlsSettings({ tlsVersion: 'tls1.2' })).toMatchObject({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    expect(tlsSettings({ tlsVersion: { max: 'tls1.2' } })).toEqual({ maxVersion: 'TLSv1.2', auth: [] });
    const { ciphers } = tlsSettings({
      tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256'],
    });
    expect(ciphers).toContain('ECDHE-RSA-AES128-GCM-SHA256');
    expect(ciphers).toContain('TLS_AES_256_GCM_SHA384');
    expect(tlsSettings({ tlsVersion: { min: 'tls1.0' } }).ciphers).toMatch(/@SECLEVEL=0$/);
  });

  it('refuses what k6 refuses, with the reason', () => {
    expect(() => tlsSettings({ tlsVersion: 'ssl3.0' })).toThrow(/unknown TLS version "ssl3.0"/);
    expect(() => tlsSettings({ tlsVersion: { min: 'tls1.3', max: 'tls1.2' } })).toThrow(/min is above max/);
    expect(() => tlsSettings({ tlsVersion: { least: 'tls1.2' } })).toThrow(/unknown field least/);
    expect(() => tlsSettings({ tlsCipherSuites: ['TLS_NOPE'] })).toThrow(/unknown cipher suite "TLS_NOPE"/);
    expect(() => tlsSettings({ tlsAuth: [{ cert: 'x', key: 'y' }] })).toThrow(/^tlsAuth\[0\]: /);
    expect(() => tlsSettings({ tlsAuth: [{ cert: 1, key: 'y' }] })).toThrow(/PEM text/);
  });

  it('picks the certificate whose domains name the host, wildcards included, else the first', () => {
    const { cert, key } = selfSignedCertificate();
    const [a, b] = tlsSettings({
      tlsAuth: [
        { domains: ['api.test'], cert, key },
        { domains: ['*.corridor.test'], cert, key },
      ],
    }).auth;
    expect(certificateFor([a!, b!], 'API.test')).toBe(a);
    expect(certificateFor([a!, b!], 'ge.corridor.test')).toBe(b);
    expect(certificateFor([a!, b!], 'corridor.test')).toBe(a);
    expect(certificateFor([], 'api.test')).toBeUndefined();
  });
});

describe('dns option', () => {
  it("takes k6's object and text forms, with k6's defaults", () => {
    expect(dnsSettings(undefined)).toEqual({ ttlMs: 300_000, select: 'random', policy: 'preferIPv4' });
    expect(dnsSettings({ ttl: '1m', select: 'roundRobin' })).toEqual({
      ttlMs: 60_000,
      select: 'roundRobin',
      policy: 'preferIPv4',
    });
    expect(dnsSettings('ttl=0,select=first,policy=onlyIPv6')).toEqual({
      ttlMs: 0,
      select: 'first',
      policy: 'onlyIPv6',
    });
    expect(dnsSettings({ ttl: '250' }).ttlMs).toBe(250);
    expect(dnsSettings({ ttl: 'inf' }).ttlMs).toBeGreaterThan(300 * 86_400_000);
  });

  it('refuses unknown fields and values', () => {
    expect(() => dnsSettings('ttl')).toThrow(/no value for key ttl/);
    expect(() => dnsSettings({ cache: '1m' })).toThrow(/unknown DNS configuration field: cache/);
    expect(() => dnsSettings({ select: 'nearest' })).toThrow(/select "nearest"/);
    expect(() => dnsSettings({ policy: 'ipv4' })).toThrow(/policy "ipv4"/);
    expect(() => dnsSettings({ ttl: 'soon' })).toThrow(/invalid DNS TTL: soon/);
  });
});

describe('localIPs', () => {
  it("hands VUs the pool's addresses in turn, as k6 (ranges, CIDR without network and broadcast)", () => {
    const pool = localAddressPool('192.168.20.12-192.168.20.15,192.168.10.0/27');
    expect(pool.size).toBe(34n);
    expect([0, 3, 4, 33, 34].map((i) => pool.at(i))).toEqual([
      '192.168.20.12',
      '192.168.20.15',
      '192.168.10.1',
      '192.168.10.30',
      '192.168.20.12',
    ]);
    expect(localAddressPool('10.0.0.7').at(5)).toBe('10.0.0.7');
    expect(localAddressPool('fd00::1-fd00::3').at(2)).toBe('fd00:0:0:0:0:0:0:3');
  });

  it('refuses what is not an address, range or block', () => {
    expect(() => localAddressPool('10.0.0.9-10.0.0.1')).toThrow(/negative IP range/);
    expect(() => localAddressPool('10.0.0.1-fd00::1')).toThrow(/mixed IP range/);
    expect(() => localAddressPool('host.test')).toThrow(/not a valid IP, IP range or CIDR/);
  });

  it("is read from K6_LOCAL_IPS and --local-ips only, as in k6: a script's is not used", () => {
    expect(consolidateOptions({ localIPs: '127.0.0.2' }).consolidated.localIPs).toBeUndefined();
    expect(consolidateOptions({}, {}, { localIPs: '127.0.0.3' }).consolidated.localIPs).toBe('127.0.0.3');
    expect(() => consolidateOptions({}, {}, { localIPs: 'nope' })).toThrow(/localIPs: nope is not a valid IP/);
  });
});
