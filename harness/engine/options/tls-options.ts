// k6's TLS options (lib/options.go, lib/tlsconfig.go) as Node's TLS settings: `tlsVersion`,
// `tlsCipherSuites` (Go's suite names, mapped to OpenSSL's) and `tlsAuth` (client certificates).
import { createSecureContext, DEFAULT_CIPHERS, type SecureVersion } from 'node:tls';

const VERSIONS: Record<string, SecureVersion> = {
  'tls1.0': 'TLSv1',
  'tls1.1': 'TLSv1.1',
  'tls1.2': 'TLSv1.2',
  'tls1.3': 'TLSv1.3',
};
const ORDER: SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

// Go's names of the suites k6 accepts, by their OpenSSL names.
const SUITES: Record<string, string> = {
  TLS_RSA_WITH_RC4_128_SHA: 'RC4-SHA',
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: 'DES-CBC3-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA256: 'AES128-SHA256',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_RC4_128_SHA: 'ECDHE-ECDSA-RC4-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_RC4_128_SHA: 'ECDHE-RSA-RC4-SHA',
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: 'ECDHE-RSA-DES-CBC3-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'ECDHE-ECDSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
  TLS_AES_128_GCM_SHA256: 'TLS_AES_128_GCM_SHA256',
  TLS_AES_256_GCM_SHA384: 'TLS_AES_256_GCM_SHA384',
  TLS_CHACHA20_POLY1305_SHA256: 'TLS_CHACHA20_POLY1305_SHA256',
};
// Go does not let TLS 1.3's suites be chosen, so k6 offers its defaults whatever the list says.
const TLS13_DEFAULTS = DEFAULT_CIPHERS.split(':').filter((s) => s.startsWith('TLS_'));

/** A `tlsAuth` entry: the certificate presented to the hosts its `domains` name. */
export interface ClientCertificate {
  domains: string[];
  cert: string;
  key: string;
  passphrase?: string;
}

export interface TlsSettings {
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  /** OpenSSL cipher list; undefined: Node's defaults. */
  ciphers?: string;
  auth: ClientCertificate[];
}

/** The TLS settings the options ask for; throws an Error with k6's wording on a bad value. */
export function tlsSettings(o: { tlsVersion?: unknown; tlsCipherSuites?: unknown; tlsAuth?: unknown }): TlsSettings {
  const out: TlsSettings = { auth: [] };
  const version = (v: unknown): SecureVersion | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' || !VERSIONS[v])
      throw new Error(
        `tlsVersion: unknown TLS version ${JSON.stringify(v)} (one of ${Object.keys(VERSIONS).join(', ')})`,
      );
    return VERSIONS[v];
  };
  const v = o.tlsVersion;
  if (typeof v === 'string') out.minVersion = out.maxVersion = version(v);
  else if (v && typeof v === 'object' && !Array.isArray(v)) {
    const { min, max, ...rest } = v as Record<string, unknown>;
    if (Object.keys(rest).length) throw new Error(`tlsVersion: unknown field ${Object.keys(rest)[0]} (min, max)`);
    out.minVersion = version(min);
    out.maxVersion = version(max);
  } else if (v !== undefined && v !== null)
    throw new Error(`tlsVersion: expected 'tls1.2' or { min: 'tls1.2', max: 'tls1.3' }`);
  if (out.minVersion && out.maxVersion && ORDER.indexOf(out.minVersion) > ORDER.indexOf(out.maxVersion))
    throw new Error(`tlsVersion: min is above max`);

  const suites = o.tlsCipherSuites;
  if (suites !== undefined && suites !== null) {
    if (!Array.isArray(suites))
      throw new Error(`tlsCipherSuites: expected a list of names such as ${Object.keys(SUITES)[14]}`);
    const names = suites.map((s) => {
      if (typeof s !== 'string' || !SUITES[s])
        throw new Error(`tlsCipherSuites: unknown cipher suite ${JSON.stringify(s)}`);
      return SUITES[s];
    });
    out.ciphers = [...TLS13_DEFAULTS, ...names.filter((n) => !n.startsWith('TLS_'))].join(':');
  }
  // OpenSSL refuses TLS 1.0 and 1.1 at its default security level; asked for, they are allowed.
  if (out.minVersion === 'TLSv1' || out.minVersion === 'TLSv1.1')
    out.ciphers = `${out.ciphers ?? DEFAULT_CIPHERS}:@SECLEVEL=0`;

  const auth = o.tlsAuth;
  if (auth !== undefined && auth !== null) {
    if (!Array.isArray(auth)) throw new Error(`tlsAuth: expected a list of { domains, cert, key }`);
    out.auth = auth.map((a, i) => clientCertificate(a, i));
  }
  return out;
}

function clientCertificate(a: unknown, i: number): ClientCertificate {
  const what = `tlsAuth[${i}]`;
  if (!a || typeof a !== 'object') throw new Error(`${what}: expected { domains, cert, key }`);
  const { domains = [], cert, key, password } = a as Record<string, unknown>;
  if (typeof cert !== 'string' || typeof key !== 'string')
    throw new Error(`${what}: cert and key must be PEM text (e.g. open('cert.pem'))`);
  if (!Array.isArray(domains) || !domains.every((d) => typeof d === 'string'))
    throw new Error(`${what}: domains must be a list of host names`);
  if (password !== undefined && password !== null && typeof password !== 'string')
    throw new Error(`${what}: password must be a string`);
  const entry: ClientCertificate = { domains: domains.map((d) => d.toLowerCase()), cert, key };
  if (typeof password === 'string') entry.passphrase = password;
  try {
    createSecureContext({ cert, key, passphrase: entry.passphrase });
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
  return entry;
}

/** The certificate for `host`: one whose domains name it (`*.example.com` names its subdomains), else the first. */
export function certificateFor(auth: ClientCertificate[], host: string): ClientCertificate | undefined {
  const name = host.toLowerCase();
  const names = (d: string) => d === name || (d.startsWith('*.') && name.endsWith(d.slice(1)));
  return auth.find((a) => a.domains.some(names)) ?? auth[0];
}
