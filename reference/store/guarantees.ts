// Guarantees: registration, approval, balance. Reservation and its release
// happen inside the movement transactions (movements.ts).
import type { Queryable } from './database.ts';

export type GuaranteeStatus = 'PENDING' | 'ACTIVE' | 'SUSPENDED';

export interface GuaranteeRecord {
  grn: string;
  accessCode: string;
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

const columns = `g.grn, g.access_code AS "accessCode", g.holder_tin AS "holderTin", g.type, g.status, g.currency,
  g.reference_amount AS "referenceAmount", g.reserved,
  (SELECT count(*)::int FROM movements m WHERE m.guarantee_grn = g.grn AND m.reserved_amount > 0) AS "openMovements"`;

/** Inserts a pending guarantee; undefined (and nothing changed) when its GRN is already taken. */
export async function insertGuarantee(
  db: Queryable,
  g: Pick<GuaranteeRecord, 'grn' | 'accessCode' | 'holderTin' | 'type' | 'currency' | 'referenceAmount'>,
): Promise<GuaranteeRecord | undefined> {
  const { rowCount } = await db.query(
    `INSERT INTO guarantees (grn, access_code, holder_tin, type, reference_amount, currency, status) VALUES ($1, $2, $3, $4, $5, $6, 'PENDING')
     ON CONFLICT (grn) DO NOTHING`,
    [g.grn, g.accessCode, g.holderTin, g.type, g.referenceAmount, g.currency],
  );
  return rowCount ? findGuarantee(db, g.grn) : undefined;
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
 * Upserts active guarantees (fixtures). The reference amount may not drop below
 * what is already reserved; such rows are left unchanged and returned.
 */
export async function upsertGuarantees(
  db: Queryable,
  gs: readonly Pick<GuaranteeRecord, 'grn' | 'accessCode' | 'holderTin' | 'type' | 'currency' | 'referenceAmount'>[],
): Promise<string[]> {
  if (gs.length === 0) return [];
  const { rows } = await db.query<{ grn: string }>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
         AS t(grn, access_code, holder_tin, type, reference_amount, currency)
     ), up AS (
       INSERT INTO guarantees (grn, access_code, holder_tin, type, reference_amount, currency, status)
       SELECT grn, access_code, holder_tin, type, reference_amount, currency, 'ACTIVE' FROM input
       ON CONFLICT (grn) DO UPDATE SET access_code = EXCLUDED.access_code, holder_tin = EXCLUDED.holder_tin, type = EXCLUDED.type,
         reference_amount = EXCLUDED.reference_amount, currency = EXCLUDED.currency, status = 'ACTIVE', updated_at = now()
       WHERE guarantees.reserved <= EXCLUDED.reference_amount
         AND (guarantees.currency = EXCLUDED.currency OR guarantees.reserved = 0)
       RETURNING grn
     )
     SELECT grn FROM input WHERE grn NOT IN (SELECT grn FROM up)`,
    [
      gs.map((g) => g.grn),
      gs.map((g) => g.accessCode),
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
