// The script's k6 options that shape every http request, and the default headers they imply.
import { dnsSettings, type DnsSettings } from '../../options/dns-option.ts';
import { localAddressPool, type LocalAddressPool } from '../../options/local-ips.ts';
import { tlsSettings, type TlsSettings } from '../../options/tls-options.ts';
import { configureDialPolicy } from './dial-policy.ts';
export interface HttpOptions {
  /** k6 `discardResponseBodies`: responseType defaults to 'none'. */
  discardResponseBodies?: boolean;
  /** k6 `maxRedirects` (10). */
  maxRedirects?: number;
  /** k6 `userAgent`. */
  userAgent?: string;
  /** k6 `throw`: failed requests (network errors) throw instead of returning an error response. */
  throw?: boolean;
  /** k6 `noConnectionReuse`: every request opens (and then closes) its own connection. */
  noConnectionReuse?: boolean;
  /** k6 `noVUConnectionReuse`: connections are reused within an iteration only. */
  noVUConnectionReuse?: boolean;
  /** k6 `insecureSkipTLSVerify`: accept any server certificate. */
  insecureSkipTLSVerify?: boolean;
  /** k6 `hosts`: `name` or `name:port` → `address` or `address:port`. */
  hosts?: Record<string, string>;
  /** k6 `noCookiesReset`: a VU keeps its cookie jar across iterations. */
  noCookiesReset?: boolean;
  /** k6 `blockHostnames` and `blacklistIPs`: see dial-policy.ts. */
  blockHostnames?: unknown;
  blacklistIPs?: unknown;
  /** k6 `tlsVersion`, `tlsCipherSuites`, `tlsAuth`: see options/tls-options.ts. */
  tlsVersion?: unknown;
  tlsCipherSuites?: unknown;
  tlsAuth?: unknown;
  /** k6 `dns`: see options/dns-option.ts. */
  dns?: unknown;
  /** k6 `localIPs`: see options/local-ips.ts. */
  localIPs?: unknown;
  /** k6 `httpDebug`: 'headers' logs each request and response without bodies, 'full' with them. */
  httpDebug?: unknown;
}

export const config = {
  discardResponseBodies: false,
  maxRedirects: 10,
  userAgent: 'cats-stress/0.1 (k6-compatible)',
  throw: false,
  noConnectionReuse: false,
  noVUConnectionReuse: false,
  insecureSkipTLSVerify: false,
  hosts: {} as Record<string, string>,
  noCookiesReset: false,
  tls: { auth: [] } as TlsSettings,
  dns: dnsSettings(undefined) as DnsSettings,
  localAddresses: undefined as LocalAddressPool | undefined,
  httpDebug: '',
};

/** Applies the script's k6 options that shape http requests. */
export function configureHttp(options: HttpOptions): void {
  if (options.discardResponseBodies !== undefined)
    config.discardResponseBodies = Boolean(options.discardResponseBodies);
  if (options.maxRedirects !== undefined) config.maxRedirects = Number(options.maxRedirects);
  if (options.userAgent !== undefined) config.userAgent = String(options.userAgent);
  if (options.throw !== undefined) config.throw = Boolean(options.throw);
  if (options.noConnectionReuse !== undefined) config.noConnectionReuse = Boolean(options.noConnectionReuse);
  if (options.noVUConnectionReuse !== undefined) config.noVUConnectionReuse = Boolean(options.noVUConnectionReuse);
  if (options.insecureSkipTLSVerify !== undefined)
    config.insecureSkipTLSVerify = Boolean(options.insecureSkipTLSVerify);
  if (options.noCookiesReset !== undefined) config.noCookiesReset = Boolean(options.noCookiesReset);
  if (options.hosts !== undefined)
    config.hosts = Object.fromEntries(
      Object.entries(options.hosts ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
  configureDialPolicy(options.blockHostnames, options.blacklistIPs);
  // Validated by the options parser already.
  config.tls = tlsSettings(options);
  config.dns = dnsSettings(options.dns);
  config.localAddresses = options.localIPs ? localAddressPool(String(options.localIPs)) : undefined;
  config.httpDebug = options.httpDebug ? String(options.httpDebug) : '';
  defaultHeaders = config.userAgent ? ['user-agent', config.userAgent] : [];
}

// The headers of a request whose params give none, built once.
export let defaultHeaders: string[] = ['user-agent', config.userAgent];
