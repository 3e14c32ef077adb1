// Who is calling: resolved from the bearer token. Tokens are looked up by their
// SHA-256 digest and cached briefly; changes to accounts clear the cache.
import { timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { findCredential, tokenHash, type OfficerRecord, type OperatorRecord } from '../store/parties.ts';

export type Principal =
  | { role: 'operator'; operator: OperatorRecord }
  | { role: 'officer'; officer: OfficerRecord }
  | { role: 'admin' }
  | { role: 'auditor' };

const TTL_MS = 5_000;
const MAX_ENTRIES = 50_000;

export class Credentials {
  private readonly cache = new Map<string, { principal: Principal | undefined; expires: number }>();
  private readonly adminHash: Buffer;
  private readonly auditorHash: Buffer | undefined;

  constructor(
    private readonly pool: pg.Pool,
    adminToken: string,
    auditorToken?: string,
  ) {
    this.adminHash = tokenHash(adminToken);
    this.auditorHash = auditorToken ? tokenHash(auditorToken) : undefined;
  }

  async resolve(token: string): Promise<Principal | undefined> {
    const hash = tokenHash(token);
    if (timingSafeEqual(hash, this.adminHash)) return { role: 'admin' };
    if (this.auditorHash && timingSafeEqual(hash, this.auditorHash)) return { role: 'auditor' };
    const now = Date.now();
    const hit = this.cache.get(token);
    if (hit && hit.expires > now) return hit.principal;
    const principal = await findCredential(this.pool, token);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(token, { principal, expires: now + TTL_MS });
    return principal;
  }

  /** After any change to accounts, statuses or tokens. */
  invalidate(): void {
    this.cache.clear();
  }
}
