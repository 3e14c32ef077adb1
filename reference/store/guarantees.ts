// Guarantees: registration, approval, balance. Reservation and its release
// happen inside the movement transactions (movements.ts).
import { accessCodeDigest } from './access-code.ts';
import type { Queryable } from './database.ts';

export type GuaranteeStatus = 'PENDING' | 'ACTIVE' | 'SUSPENDED';

export interface GuaranteeRecord {
  grn: string;
  holderTin: string;
  type: string;
  status: GuaranteeStatus;
  currency: string;
  /** Minor units. */
  referenceAmount: number;
  /** Minor units. */
  reserved: number;
  openMovements: number;
}

const columns = `g.grn, g.holder_tin AS "holderTin", g.type, g.status, g.currency,
  g.reference_amount AS "referenceAmount", g.reserved,
  (SELECT count(*)::int FROM movements m WHERE m.guarantee_grn = g.grn AND m.reserved_amount > 0) AS "openMovements"`;

/** Inserts a pending guarantee (no access code yet); undefined (and nothing changed) when its GRN is already taken. */
export async function insertGuarantee(
  db: Queryable,
  g: Pick<GuaranteeRecord, 'grn' | 'holderTin' | 'type' | 'currency' | 'referenceAmount'>,
): Promise<GuaranteeRecord | undefined> {
  const { rowCount } = await db.query(
    `INSERT INTO guarantees (grn, holder_tin, type, reference_amount, currency, status) VALUES ($1, $2, $3, $4, $5, 'PENDING')
     ON CONFLICT (grn) DO NOTHING`,
    [g.grn, g.holderTin, g.type, g.referenceAmount, g.currency],
  );
  return rowCount ? findGuarantee(db, g.grn) : undefined;
}

/**
 * Gives the guarantee a new access code (the old one stops working at once);
 * with `onlyIfNone`, only when it has none yet. False when nothing was changed.
 */
export async function setAccessCode(
  db: Queryable,
  grn: string,
  code: string,
  opts: { holderTin?: string; onlyIfNone?: boolean } = {},
): Promise<boolean> {
  const { salt, hash } = accessCodeDigest(code);
  const { rowCount } = await db.query(
    `UPDATE guarantees SET access_code_salt = $2, access_code_hash = $3, updated_at = now()
      WHERE grn = $1 AND ($4::text IS NULL OR holder_tin = $4) AND (NOT $5::boolean OR access_code_hash IS NULL)`,
    [grn, salt, hash, opts.holderTin ?? null, opts.onlyIfNone ?? false],
  );
  return rowCount === 1;
}

export async function findGuarantee(db: Queryable, grn: string): Promise<GuaranteeRecord | undefined> {
  const { rows } = await db.query<GuaranteeRecord>(`SELECT ${columns} FROM guarantees g WHERE g.grn = $1`, [grn]);
  return rows[0];
}

export async function setGuaranteeStatus(
  db: Queryable,
  grn: string,
  status: GuaranteeStatus,
): Promise<GuaranteeRecord | undefined> {
  const { rowCount } = await db.query(`UPDATE guarantees SET status = $2, updated_at = now() WHERE grn = $1`, [
    grn,
    status,
  ]);
  return rowCount ? findGuarantee(db, grn) : undefined;
}

/**
 * Upserts active guarantees (fixtures) with the access codes given, stored as
 * digests. The reference amount may not drop below what is already reserved;
 * such rows are left unchanged and returned.
 */
export async function upsertGuarantees(
  db: Queryable,
  gs: readonly (Pick<GuaranteeRecord, 'grn' | 'holderTin' | 'type' | 'currency' | 'referenceAmount'> & {
    accessCode: string;
  })[],
): Promise<string[]> {
  if (gs.length === 0) return [];
  const digests = gs.map((g) => accessCodeDigest(g.accessCode));
  const { rows } = await db.query<{ grn: string }>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::text[], $5::text[], $6::bigint[], $7::text[])
         AS t(grn, access_code_salt, access_code_hash, holder_tin, type, reference_amount, currency)
     ), up AS (
       INSERT INTO guarantees (grn, access_code_salt, access_code_hash, holder_tin, type, reference_amount, currency, status)
       SELECT grn, access_code_salt, access_code_hash, holder_tin, type, reference_amount, currency, 'ACTIVE' FROM input
       ON CONFLICT (grn) DO UPDATE SET access_code_salt = EXCLUDED.access_code_salt,
         access_code_hash = EXCLUDED.access_code_hash, holder_tin = EXCLUDED.holder_tin, type = EXCLUDED.type,
         reference_amount = EXCLUDED.reference_amount, currency = EXCLUDED.currency, status = 'ACTIVE', updated_at = now()
       WHERE guarantees.reserved <= EXCLUDED.reference_amount
         AND (guarantees.currency = EXCLUDED.currency OR guarantees.reserved = 0)
       RETURNING grn
     )
     SELECT grn FROM input WHERE grn NOT IN (SELECT grn FROM up)`,
    [
      gs.map((g) => g.grn),
      digests.map((d) => d.salt),
      digests.map((d) => d.hash),
      gs.map((g) => g.holderTin),
      gs.map((g) => g.type),
      gs.map((g) => g.referenceAmount),
      gs.map((g) => g.currency),
    ],
  );
  return rows.map((r) => r.grn);
}

export interface GuaranteeTotals {
  type: string;
  currency: string;
  /** Minor units. */
  reserved: number;
  /** Minor units. */
  referenceAmount: number;
}

/** Reserved and reference amounts summed per guarantee type and currency (one aggregate over the table). */
export async function guaranteeTotals(db: Queryable): Promise<GuaranteeTotals[]> {
  const { rows } = await db.query<GuaranteeTotals>(
    `SELECT type, currency, sum(reserved)::float8 AS reserved, sum(reference_amount)::float8 AS "referenceAmount"
       FROM guarantees GROUP BY type, currency`,
  );
  return rows;
}
