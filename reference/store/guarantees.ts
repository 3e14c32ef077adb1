// Guarantees: registration, approval, balance. Reservation and its release
// happen inside the movement transactions (movements.ts).
import { accessCodeDigest } from './access-code.ts';
import type { Queryable } from './database.ts';

export type GuaranteeStatus = 'PENDING' | 'ACTIVE' | 'SUSPENDED';

export interface GuarantorRecord {
  kind: 'bank' | 'insurer';
  identificationNumber: string;
  name: string;
}

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
  /** Percent of the amount due reserved per movement, set by customs at approval; null while pending. */
  level: 100 | 50 | 25 | null;
  guarantor: GuarantorRecord | null;
  /** An individual guarantee's one movement, once used. */
  usedBy: string | null;
  openMovements: number;
  /** The holder's standing, for the level proposed at approval. */
  holder: { aeo: boolean; releasedMovements: number };
}

const columns = `g.grn, g.holder_tin AS "holderTin", g.type, g.status, g.currency,
  g.reference_amount::float8 AS "referenceAmount", g.reserved::float8 AS reserved, g.level::int AS level,
  CASE WHEN g.guarantor_tin IS NULL THEN NULL ELSE jsonb_build_object('kind', g.guarantor_kind,
    'identificationNumber', g.guarantor_tin, 'name', g.guarantor_name) END AS guarantor, g.used_by AS "usedBy",
  (SELECT count(*)::int FROM reservations r WHERE r.grn = g.grn AND r.held) AS "openMovements",
  (SELECT jsonb_build_object('aeo', o.aeo, 'releasedMovements', o.released_movements) FROM operators o
    WHERE o.tin = g.holder_tin) AS holder`;

/** Inserts a pending guarantee (no access code yet); undefined (and nothing changed) when its GRN is already taken. */
export async function insertGuarantee(
  db: Queryable,
  g: Pick<GuaranteeRecord, 'grn' | 'holderTin' | 'type' | 'currency' | 'referenceAmount'> & {
    guarantor: GuarantorRecord;
  },
): Promise<GuaranteeRecord | undefined> {
  const { rowCount } = await db.query(
    `INSERT INTO guarantees (grn, holder_tin, type, reference_amount, currency, status, guarantor_kind, guarantor_tin, guarantor_name)
     VALUES ($1, $2, $3, $4, $5, 'PENDING', $6, $7, $8)
     ON CONFLICT (grn) DO NOTHING`,
    [
      g.grn,
      g.holderTin,
      g.type,
      g.referenceAmount,
      g.currency,
      g.guarantor.kind,
      g.guarantor.identificationNumber,
      g.guarantor.name,
    ],
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

/** Sets the status and, when given, the level (approval); undefined when there is no such guarantee. */
export async function setGuaranteeStatus(
  db: Queryable,
  grn: string,
  status: GuaranteeStatus,
  level?: 100 | 50 | 25,
): Promise<GuaranteeRecord | undefined> {
  const { rowCount } = await db.query(
    `UPDATE guarantees SET status = $2, level = coalesce($3::smallint, level), updated_at = now() WHERE grn = $1`,
    [grn, status, level ?? null],
  );
  return rowCount ? findGuarantee(db, grn) : undefined;
}

/** The guarantees a guarantor backs, in GRN order. */
export async function guaranteesBackedBy(db: Queryable, guarantorTin: string): Promise<GuaranteeRecord[]> {
  const { rows } = await db.query<GuaranteeRecord>(
    `SELECT ${columns} FROM guarantees g WHERE g.guarantor_tin = $1 ORDER BY g.grn`,
    [guarantorTin],
  );
  return rows;
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
    level: 100 | 50 | 25;
    guarantor: GuarantorRecord;
  })[],
): Promise<string[]> {
  if (gs.length === 0) return [];
  const digests = gs.map((g) => accessCodeDigest(g.accessCode));
  const { rows } = await db.query<{ grn: string }>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::text[], $5::text[], $6::bigint[], $7::text[],
                            $8::smallint[], $9::text[], $10::text[], $11::text[])
         AS t(grn, access_code_salt, access_code_hash, holder_tin, type, reference_amount, currency,
              level, guarantor_kind, guarantor_tin, guarantor_name)
     ), up AS (
       INSERT INTO guarantees (grn, access_code_salt, access_code_hash, holder_tin, type, reference_amount, currency, status,
                               level, guarantor_kind, guarantor_tin, guarantor_name)
       SELECT grn, access_code_salt, access_code_hash, holder_tin, type, reference_amount, currency, 'ACTIVE',
              level, guarantor_kind, guarantor_tin, guarantor_name FROM input
       ON CONFLICT (grn) DO UPDATE SET access_code_salt = EXCLUDED.access_code_salt,
         access_code_hash = EXCLUDED.access_code_hash, holder_tin = EXCLUDED.holder_tin, type = EXCLUDED.type,
         reference_amount = EXCLUDED.reference_amount, currency = EXCLUDED.currency, status = 'ACTIVE',
         level = EXCLUDED.level, guarantor_kind = EXCLUDED.guarantor_kind, guarantor_tin = EXCLUDED.guarantor_tin,
         guarantor_name = EXCLUDED.guarantor_name, updated_at = now()
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
      gs.map((g) => g.level),
      gs.map((g) => g.guarantor.kind),
      gs.map((g) => g.guarantor.identificationNumber),
      gs.map((g) => g.guarantor.name),
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

/** Reserved and reference amounts summed per guarantor and currency (one aggregate over the table). */
export async function guarantorTotals(
  db: Queryable,
): Promise<{ guarantor: string; currency: string; reserved: number; referenceAmount: number }[]> {
  const { rows } = await db.query<{ guarantor: string; currency: string; reserved: number; referenceAmount: number }>(
    `SELECT guarantor_tin AS guarantor, currency, sum(reserved)::float8 AS reserved,
            sum(reference_amount)::float8 AS "referenceAmount"
       FROM guarantees WHERE guarantor_tin IS NOT NULL GROUP BY guarantor_tin, currency`,
  );
  return rows;
}

/** Reserved and reference amounts summed per guarantee type and currency (one aggregate over the table). */
export async function guaranteeTotals(db: Queryable): Promise<GuaranteeTotals[]> {
  const { rows } = await db.query<GuaranteeTotals>(
    `SELECT type, currency, sum(reserved)::float8 AS reserved, sum(reference_amount)::float8 AS "referenceAmount"
       FROM guarantees GROUP BY type, currency`,
  );
  return rows;
}
