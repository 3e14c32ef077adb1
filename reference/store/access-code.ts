// Guarantee access codes are stored as SHA-256(salt ‖ CODE) with a random
// 16-byte salt per code, and compared as digests. Why not a slow hash such as
// scrypt: a code has 4 characters of A-Z0-9, 36^4 ≈ 1.7 million values, so no
// hash keeps a stolen digest from being searched through; what the digest
// does is keep codes out of the database, its dumps and logs, and the salt
// keeps equal codes from having equal digests. A slow hash would buy nothing
// against that search yet cost every CTD lodged, where the code is checked.
import { createHash, randomBytes } from 'node:crypto';

export interface AccessCodeDigest {
  salt: Buffer;
  hash: Buffer;
}

/** The digest of `code` (compared case-insensitively, as the code is) under `salt`, a new random one by default. */
export function accessCodeDigest(code: string, salt: Buffer = randomBytes(16)): AccessCodeDigest {
  return { salt, hash: createHash('sha256').update(salt).update(code.toUpperCase(), 'utf8').digest() };
}

/** SQL: whether the guarantee row's digest is that of the code in `param` (false when it has none). */
export const accessCodeMatchesSql = (param: string) =>
  `coalesce(access_code_hash = sha256(access_code_salt || convert_to(upper(${param}::text), 'UTF8')), false)`;
