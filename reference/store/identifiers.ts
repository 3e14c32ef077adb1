// Sequence values for MRNs and GRNs. MRN sequence values are taken from
// PostgreSQL in blocks (the sequence increments by 64), so most declarations
// need no round trip for their number and several node instances never collide.
import type pg from 'pg';

export class SequenceBlocks {
  private next = 0n;
  private end = 0n;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly pool: Pick<pg.Pool, 'query'>,
    private readonly sequence: 'mrn_sequence',
    private readonly blockSize = 64n,
  ) {}

  async take(): Promise<bigint> {
    while (this.next >= this.end) {
      this.pending ??= this.refill().finally(() => (this.pending = undefined));
      await this.pending;
    }
    return this.next++;
  }

  private async refill(): Promise<void> {
    const { rows } = await this.pool.query<{ v: string }>(`SELECT nextval('${this.sequence}')::text AS v`);
    const start = BigInt(rows[0]!.v);
    this.next = start;
    this.end = start + this.blockSize;
  }
}

export async function nextGrnSequence(db: Pick<pg.Pool, 'query'>): Promise<bigint> {
  const { rows } = await db.query<{ v: string }>(`SELECT nextval('grn_sequence')::text AS v`);
  return BigInt(rows[0]!.v);
}

/**
 * Moves the GRN sequence past `sequence` (a GRN seeded from outside, e.g. a
 * fixture), so that no GRN the node allocates afterwards can equal it.
 */
export async function advanceGrnSequencePast(db: Pick<pg.Pool, 'query'>, sequence: bigint): Promise<void> {
  if (sequence < 1n) return;
  await db.query(`SELECT setval('grn_sequence', $1::bigint) FROM grn_sequence WHERE last_value <= $1::bigint`, [
    sequence.toString(),
  ]);
}
