// Cross-border guarantees in the database. At the guarantee's node: the uses a
// movement declared in another country holds on a guarantee registered here
// (IE203 reserves, IE204/IE209 give back or charge), reserved with the same
// locked, all-or-none statement as a local lodging. At departure: the movement
// waiting for that answer, and the reservations the answer reports.
import type { PoolClient } from 'pg';
import type { Queryable } from './database.ts';
import {
  firstRefused,
  GUARANTEE_ROWS,
  guaranteeOkSql,
  insertOutbox,
  movementParams,
  PRESENTED_ACCESS_CODE_OK,
  PRESENTED_SHARES,
  type DeclaredShare,
  type GuaranteeCheck,
  type NewDeclaration,
} from './movements.ts';

export interface ForeignReservation {
  grn: string;
  /** Minor units, at the guarantee's level. */
  amount: number;
  currency: string;
}

/**
 * Checks every guarantee of an IE203 as a local lodging would (holder, status,
 * access code, type, currency, individual use, available amount) and reserves
 * them all, or none, in one statement holding their rows locked in GRN order.
 */
export async function reserveForeignUse(
  db: Queryable,
  u: { mrn: string; holderTin: string; departureCountry: string; shares: readonly DeclaredShare[] },
): Promise<{ accepted: true; reservations: ForeignReservation[] } | { accepted: false; guarantee: GuaranteeCheck }> {
  const { rows } = await db.query<{ ok: boolean; guarantees: GuaranteeCheck[] }>(
    `WITH ${PRESENTED_SHARES}, ${GUARANTEE_ROWS(PRESENTED_ACCESS_CODE_OK)},
     ok AS (
       SELECT NOT EXISTS (SELECT 1 FROM g WHERE NOT ${guaranteeOkSql('true', '$1')}) AS ok
     ), u AS (
       UPDATE guarantees gu SET reserved = gu.reserved + g.amount,
              used_by = CASE WHEN gu.type IN ('2', '4') THEN $1 ELSE gu.used_by END, updated_at = now()
         FROM g WHERE gu.grn = g.grn AND (SELECT ok FROM ok)
     ), i AS (
       INSERT INTO guarantee_uses (mrn, grn, departure_country, currency, amount, held)
       SELECT $1, g.grn, $8, g."wantedCurrency", g.amount, true FROM g WHERE (SELECT ok FROM ok)
     )
     SELECT (SELECT ok FROM ok) AS ok, (SELECT coalesce(json_agg(g ORDER BY g.position), '[]') FROM g) AS guarantees`,
    [
      u.mrn,
      u.holderTin,
      u.shares.map((s) => s.grn),
      u.shares.map((s) => s.share),
      u.shares.map((s) => s.accessCode),
      u.shares.map((s) => s.currency),
      u.shares.map((s) => s.type),
      u.departureCountry,
    ],
  );
  const row = rows[0]!;
  if (row.ok)
    return {
      accepted: true,
      reservations: row.guarantees.map((g) => ({ grn: g.grn, amount: g.amount, currency: g.wantedCurrency })),
    };
  const refused = firstRefused(row.guarantees, u.holderTin, true, u.mrn);
  if (!refused) throw new Error(`guarantee use of ${u.mrn} neither reserved nor refused`);
  return { accepted: false, guarantee: refused };
}

/**
 * Ends the uses a movement of `departureCountry` holds here: gives them back
 * (IE209 discharged or invalidated), charges them (IE209 recovered: the
 * guarantee paid the debt), or cancels them before release (IE204: an
 * individual guarantee is free to serve another movement). The number of uses
 * that were held.
 */
export async function endForeignUse(
  db: PoolClient,
  mrn: string,
  departureCountry: string,
  how: 'give-back' | 'charge' | 'cancel',
): Promise<number> {
  const { rowCount } = await db.query(
    `WITH r AS (
       UPDATE guarantee_uses SET held = false, charged = $3 WHERE mrn = $1 AND departure_country = $2 AND held
       RETURNING grn, amount
     )
     UPDATE guarantees gu SET reserved = gu.reserved - r.amount,
            reference_amount = gu.reference_amount - CASE WHEN $3 THEN r.amount ELSE 0 END, updated_at = now()
       FROM r WHERE gu.grn = r.grn`,
    [mrn, departureCountry, how === 'charge'],
  );
  if (how === 'cancel')
    await db.query(
      `UPDATE guarantees SET used_by = NULL, updated_at = now()
        WHERE used_by = $1 AND grn IN (SELECT grn FROM guarantee_uses WHERE mrn = $1 AND departure_country = $2)`,
      [mrn, departureCountry],
    );
  return rowCount ?? 0;
}

/** Whether a movement has asked for guarantees here before (a second IE203 for one MRN is refused). */
export async function hasForeignUse(db: Queryable, mrn: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM guarantee_uses WHERE mrn = $1', [mrn]);
  return (rowCount ?? 0) > 0;
}

/** Uses held here now for movements of other countries, per GRN (the audit's view). */
export async function heldUses(
  db: Queryable,
  grns: readonly string[],
): Promise<Map<string, { mrn: string; amount: number; departureCountry: string }[]>> {
  const { rows } = await db.query<{ grn: string; mrn: string; amount: number; departureCountry: string }>(
    `SELECT grn, mrn, amount::float8 AS amount, departure_country AS "departureCountry"
       FROM guarantee_uses WHERE held AND amount > 0 AND grn = ANY($1::text[]) ORDER BY grn, mrn`,
    [grns],
  );
  const byGrn = new Map<string, { mrn: string; amount: number; departureCountry: string }[]>();
  for (const { grn, ...use } of rows) byGrn.set(grn, [...(byGrn.get(grn) ?? []), use]);
  return byGrn;
}

/**
 * At departure: a declaration whose guarantees another country registered, in
 * one transaction: the movement waiting for its guarantee until `replyBy`
 * (business time), its planned shares (held once that country reserves them)
 * and the IE203 asking it. A taken LRN fails on the unique index (23505).
 */
export async function insertAwaitingDeclaration(
  client: PoolClient,
  d: Omit<NewDeclaration, 'reserve' | 'limitDate'> & { replyBy: Date },
): Promise<void> {
  await client.query(
    `INSERT INTO movements (mrn, role, operator_tin, lrn, content_hash, state, ctd, departure_office, transit_offices,
                            destination_office, risk_class, risk_reasons, guarantee_reply_by)
     VALUES ($1, 'departure', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [...movementParams(d), d.replyBy],
  );
  await client.query(
    `INSERT INTO reservations (mrn, grn, position, currency, amount, held)
     SELECT $1, t.grn, t.position - 1, t.currency, t.share, false
       FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS t(grn, currency, share, position)`,
    [d.mrn, d.guarantees.map((g) => g.grn), d.guarantees.map((g) => g.currency), d.guarantees.map((g) => g.share)],
  );
  await insertOutbox(client, d.mrn, d.messages);
}

/** At departure: the reservations the guarantee's country reports it holds (IE205 accepted). */
export async function holdForeignReservations(
  db: Queryable,
  mrn: string,
  reservations: readonly ForeignReservation[],
): Promise<void> {
  await db.query(
    `UPDATE reservations r SET amount = t.amount, held = true
       FROM unnest($2::text[], $3::bigint[]) AS t(grn, amount) WHERE r.mrn = $1 AND r.grn = t.grn`,
    [mrn, reservations.map((r) => r.grn), reservations.map((r) => r.amount)],
  );
}

/** At departure: movements whose guarantee's country has not answered by business time `now`. */
export async function guaranteeAnswersOverdue(db: Queryable, now: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ mrn: string }>(
    `SELECT mrn FROM movements WHERE state = 'AWAITING_GUARANTEE' AND guarantee_reply_by <= $1
      ORDER BY guarantee_reply_by LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => r.mrn);
}
