// Node credentials: one bearer token per country, given at start. Only the
// SHA-256 of each token is kept; comparison is constant-time.
import { createHash, timingSafeEqual } from 'node:crypto';

export type NodeTokens = Record<string, string>;

const digest = (token: string) => createHash('sha256').update(token).digest();

export class NodeCredentials {
  private readonly byCountry: Map<string, Buffer>;

  constructor(tokens: NodeTokens) {
    this.byCountry = new Map(Object.entries(tokens).map(([country, token]) => [country, digest(token)]));
  }

  get countries(): string[] {
    return [...this.byCountry.keys()];
  }

  /** The country whose node holds this token, if any. */
  countryOf(token: string): string | undefined {
    const d = digest(token);
    let found: string | undefined;
    for (const [country, expected] of this.byCountry) if (timingSafeEqual(d, expected)) found = country;
    return found;
  }
}

/** Parses `GE=token,AZ=token` (or repeated `GE=token` items). */
export function parseNodeTokens(items: string[]): NodeTokens {
  const tokens: NodeTokens = {};
  for (const item of items
    .flatMap((i) => i.split(','))
    .map((i) => i.trim())
    .filter(Boolean)) {
    const m = /^([A-Z]{2})=(.{8,})$/.exec(item);
    if (!m)
      throw new Error(
        `node token '${item.replace(/=.*/, '=…')}' must be CC=TOKEN with a token of at least 8 characters`,
      );
    tokens[m[1]] = m[2];
  }
  return tokens;
}

/** Constant-time comparison of a bearer token with the auditor's. */
export function auditorMatches(token: string, auditorToken: string): boolean {
  return timingSafeEqual(digest(token), digest(auditorToken));
}
