// The 12-character unique part of MRNs and GRNs, allocated from a sequence.
//
// NCTS leaves the content of the unique part to each country. Here it is a
// keyed permutation of the sequence number over all 36^12 base-36 strings: a
// balanced four-round Feistel network on two halves of 36^6 values each, with
// addition modulo 36^6 so that every round (and hence the whole) is a
// bijection. Distinct sequence numbers therefore give distinct unique parts,
// while consecutive numbers give unrelated-looking strings. The key only
// decorrelates countries and years; it is not a secret and this is no cipher.

import { hashString, mix32 } from './hash.ts';

const HALF = 36 ** 6; // 2_176_782_336 < 2^32: each half fits an unsigned 32-bit integer
/** Number of distinct unique parts: sequences run from 0 to CAPACITY - 1. */
export const UNIQUE_PART_CAPACITY = 36n ** 12n;
const HALF_BIG = BigInt(HALF);
const ROUNDS = 4;

/** Round keys derived from a label such as "MRN/2026/GE". */
export function roundKeys(label: string): readonly number[] {
  let h = hashString(label);
  const keys: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    h = mix32(h + 0x9e3779b9 + r);
    keys.push(h);
  }
  return keys;
}

function roundFunction(half: number, key: number): number {
  // Two mixes so that the high bits of `half` (above 2^31) reach every output bit.
  return mix32(mix32((half ^ key) >>> 0) + Math.floor(half / 0x10000)) % HALF;
}

function toBase36(n: number): string {
  return n.toString(36).toUpperCase().padStart(6, '0');
}

/** The unique part for `sequence` under `keys`; a RangeError outside 0 ≤ sequence < 36^12. */
export function uniquePartFromSequence(sequence: bigint, keys: readonly number[]): string {
  if (sequence < 0n || sequence >= UNIQUE_PART_CAPACITY) {
    throw new RangeError(`sequence ${sequence} outside 0..36^12-1`);
  }
  let left = Number(sequence / HALF_BIG);
  let right = Number(sequence % HALF_BIG);
  for (const key of keys) {
    const next = (left + roundFunction(right, key)) % HALF;
    left = right;
    right = next;
  }
  return toBase36(left) + toBase36(right);
}

/** Inverse of uniquePartFromSequence: the sequence a unique part was allocated from. */
export function sequenceFromUniquePart(unique: string, keys: readonly number[]): bigint {
  if (!/^[A-Z0-9]{12}$/.test(unique))
    throw new RangeError(`unique part ${JSON.stringify(unique)} is not 12 characters A-Z0-9`);
  let left = parseInt(unique.slice(0, 6), 36);
  let right = parseInt(unique.slice(6), 36);
  for (let r = keys.length - 1; r >= 0; r--) {
    const previous = (right - roundFunction(left, keys[r]!) + HALF) % HALF;
    right = left;
    left = previous;
  }
  return BigInt(left) * HALF_BIG + BigInt(right);
}
