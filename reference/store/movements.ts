// Movements and the statements of their transitions.
import type { Queryable } from './database.ts';

export type MovementRole = 'departure' | 'transit' | 'destination';

export interface MovementRecord {
  mrn: string;
  role: MovementRole;
  operatorTin: string | null;
  lrn: string | null;
  contentHash: Buffer | null;
  state: string;
  ctd: unknown;
  departureOffice: string;
  transitOffices: string[];
  destinationOffice: string;
  crossedOffices: string[];
  amendments: number;
  riskClass: string | null;
  riskReasons: string[] | null;
  /** Per guarantee the CTD references (departure only), in CTD order. */
  reservations: ReservationRecord[];
  controlConform: boolean | null;
  /** Business time by which the goods must be at destination (departure, from release). */
  limitDate: Date | null;
  enquiryOpenedAt: Date | null;
  enquiryReplyBy: Date | null;
  enquiryAnswer: 'arrived' | 'not-arrived' | null;
  holderInformation: string | null;
  /** A foreign copy: the IE142 received, until answered. */
  enquiryMessageId: string | null;
  enquiryAnsweredAt: Date | null;
  /** The office asked to recover the debt (IE150); null: departure recovers it itself. */
  recoveryOffice: string | null;
  recoveryStartedAt: Date | null;
  /** A foreign copy: the IE150 received, until answered. */
  recoveryMessageId: string | null;
  recoveryAnsweredAt: Date | null;
  /** Business time by which the guarantee's country must answer IE203 (departure, AWAITING_GUARANTEE). */
  guaranteeReplyBy: Date | null;
  /** Why the guarantee's country refused the guarantees, or that it did not answer in time. */
  guaranteeRefusal: { code: string; grn: string | null; message: string } | null;
  /** Incidents en route recorded for the movement, in the order recorded. */
  incidents: Array<Record<string, unknown>>;
  /** Incidents not yet decided on by customs at departure. */
  openIncidents: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReservationRecord {
  grn: string;
  currency: string;
  /** Minor units: the guarantee's share at its level, planned at lodging. */
  amount: number;
  /** Reserved on the guarantee (from release to write-off). */
  held: boolean;
  /** Paid out of the guarantee after recovery. */
  charged?: boolean;
}

const columns = `mrn, role, operator_tin AS "operatorTin", lrn, content_hash AS "contentHash", state, ctd,
  departure_office AS "departureOffice", transit_offices AS "transitOffices", destination_office AS "destinationOffice",
  crossed_offices AS "crossedOffices", amendments, risk_class AS "riskClass", risk_reasons AS "riskReasons",
  (SELECT coalesce(jsonb_agg(jsonb_build_object('grn', r.grn, 'currency', r.currency, 'amount', r.amount, 'held', r.held, 'charged', r.charged)
     ORDER BY r.position), '[]'::jsonb) FROM reservations r WHERE r.mrn = movements.mrn) AS reservations,
  control_conform AS "controlConform", limit_date AS "limitDate", enquiry_opened_at AS "enquiryOpenedAt",
  enquiry_reply_by AS "enquiryReplyBy", enquiry_answer AS "enquiryAnswer", holder_information AS "holderInformation",
  enquiry_message_id AS "enquiryMessageId", enquiry_answered_at AS "enquiryAnsweredAt", recovery_office AS "recoveryOffice",
  recovery_started_at AS "recoveryStartedAt", recovery_message_id AS "recoveryMessageId",
  recovery_answered_at AS "recoveryAnsweredAt", guarantee_reply_by AS "guaranteeReplyBy",
  guarantee_refusal AS "guaranteeRefusal", incidents, open_incidents AS "openIncidents", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A C2C message to write to the outbox with a state change. */
export interface OutboxMessage {
  type: string;
  country: string;
  office: string | null;
  /** The sending office, when the body does not name it and it is not the office of departure. */
  senderOffice?: string;
  body: unknown;
}

export interface NewDeclaration {
  mrn: string;
  operatorTin: string;
  lrn: string;
  contentHash: Buffer;
  state: string;
  ctd: unknown;
  departureOffice: string;
  transitOffices: string[];
  destinationOffice: string;
  riskClass: string;
  riskReasons: string[];
  /** One per GRN the CTD references: its share of the amount due, before the guarantee's level. */
  guarantees: DeclaredShare[];
  /** Reserve now (released at once) or only check the guarantees (sent to control). */
  reserve: boolean;
  messages: OutboxMessage[];
  /** Business time limit, set when released at once. */
  limitDate: Date | null;
}

export interface DeclaredShare {
  grn: string;
  accessCode: string;
  /** The type the CTD declares: the guarantee must be of it. */
  type: string;
  currency: string;
  /** Minor units of `currency`. */
  share: number;
}

/** What one guarantee looked like to a statement that checks or reserves it, to explain a refusal. */
export interface GuaranteeCheck {
  grn: string;
  /** Index of the GRN among the shares given (CTD order). */
  position: number;
  /** Null when no such guarantee exists. */
  status: string | null;
  /** Whether the access code presented is the guarantee's (true where none was presented). */
  accessCodeOk: boolean;
  holderTin: string;
  type: string;
  currency: string;
  referenceAmount: number;
  reserved: number;
  /** An individual guarantee's movement, once used. */
  usedBy: string | null;
  wantedType: string;
  wantedCurrency: string;
  /** Minor units to reserve at the guarantee's level. */
  amount: number;
}

/** SQL: the checks one row of a guarantee CTE (see GUARANTEE_ROW) passes; $2 is the holder. */
export const guaranteeOkSql = (
  reserve: string,
  mrn: string,
) => `coalesce(status = 'ACTIVE' AND "accessCodeOk" AND "holderTin" = $2
  AND currency = "wantedCurrency" AND type = "wantedType" AND ("usedBy" IS NULL OR "usedBy" = ${mrn} OR type NOT IN ('2', '4'))
  AND (NOT ${reserve} OR reserved + amount <= "referenceAmount"), false)`;

/** The first guarantee that fails its checks, in CTD order. */
export function firstRefused(checks: readonly GuaranteeCheck[], holderTin: string, reserve: boolean, mrn: string) {
  return [...checks]
    .sort((a, b) => a.position - b.position)
    .find(
      (g) =>
        !(
          g.status === 'ACTIVE' &&
          g.accessCodeOk &&
          g.holderTin === holderTin &&
          g.currency === g.wantedCurrency &&
          g.type === g.wantedType &&
          (g.usedBy === null || g.usedBy === mrn || !['2', '4'].includes(g.type)) &&
          (!reserve || g.reserved + g.amount <= g.referenceAmount)
        ),
    );
}

export type DeclarationInsert =
  | { outcome: 'inserted'; reserved: boolean; reservations: ReservationRecord[] }
  | { outcome: 'guarantee-refused'; guarantee: GuaranteeCheck }
  | { outcome: 'lrn-taken' };

/**
 * The whole declaration in ONE autocommit statement: unless the operator's LRN
 * is taken, reserve on the guarantee (released at once) or check it (sent to
 * control), and only then insert the movement, count the release and write the
 * C2C messages. A concurrent lodging of the same LRN fails on the unique index
 * (23505) and so reserves nothing.
 */
export async function insertDeclaration(db: Queryable, d: NewDeclaration): Promise<DeclarationInsert> {
  const { rows } = await db.query<{ existing: string | null; inserted: string | null; guarantees: GuaranteeCheck[] }>(
    declarationQuery(d),
  );
  const row = rows[0]!;
  if (row.existing !== null) return { outcome: 'lrn-taken' };
  if (row.inserted !== null) {
    const reservations = row.guarantees.map((g) => ({
      grn: g.grn,
      currency: g.wantedCurrency,
      amount: g.amount,
      held: d.reserve,
    }));
    return { outcome: 'inserted', reserved: d.reserve, reservations };
  }
  const refused = firstRefused(row.guarantees, d.operatorTin, d.reserve, d.mrn);
  if (!refused) throw new Error(`declaration ${d.mrn} neither inserted nor refused`);
  return { outcome: 'guarantee-refused', guarantee: refused };
}

/** The declaration statement as a named prepared statement: parsed and planned once per connection. */
export function declarationQuery(d: NewDeclaration): { name: string; text: string; values: unknown[] } {
  return { name: 'insert_declaration', text: DECLARATION_SQL, values: declarationParams(d) };
}

/** The movement's own columns ($1–$11 of every statement that lodges one): mrn … risk_reasons. */
export function movementParams(
  d: Pick<
    NewDeclaration,
    | 'mrn'
    | 'operatorTin'
    | 'lrn'
    | 'contentHash'
    | 'state'
    | 'ctd'
    | 'departureOffice'
    | 'transitOffices'
    | 'destinationOffice'
    | 'riskClass'
    | 'riskReasons'
  >,
): unknown[] {
  return [
    d.mrn,
    d.operatorTin,
    d.lrn,
    d.contentHash,
    d.state,
    d.ctd,
    d.departureOffice,
    d.transitOffices,
    d.destinationOffice,
    d.riskClass,
    d.riskReasons,
  ];
}

function declarationParams(d: NewDeclaration): unknown[] {
  return [
    ...movementParams(d),
    d.guarantees.map((g) => g.grn),
    d.guarantees.map((g) => g.share),
    d.reserve,
    d.guarantees.map((g) => g.currency),
    d.guarantees.map((g) => g.accessCode),
    JSON.stringify(d.messages),
    d.guarantees.map((g) => g.type),
    d.limitDate,
  ];
}

/**
 * The guarantees of `input` (grn, position, share, access_code, wanted_currency,
 * wanted_type), locked in GRN order so concurrent statements queue rather than
 * deadlock, with the amount each would reserve at its level (none for a waiver).
 */
/** SQL: the shares presented for reservation ($3–$7: GRNs, shares, access codes, wanted currencies and types), as `input`. */
export const PRESENTED_SHARES = `input AS (
       SELECT t.grn, t.position - 1 AS position, t.share, t.access_code, t.wanted_currency, t.wanted_type
         FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY
           AS t(grn, share, access_code, wanted_currency, wanted_type, position)
     )`;

/** SQL: whether the access code presented for a guarantee row (GUARANTEE_ROWS' `i`) is that guarantee's. */
export const PRESENTED_ACCESS_CODE_OK = `coalesce(l.access_code_hash = sha256(l.access_code_salt || convert_to(upper(i.access_code), 'UTF8')), false)`;

export const GUARANTEE_ROWS = (accessCode: string) => `
locked AS (
  SELECT grn, status, access_code_salt, access_code_hash, holder_tin, type, currency, reference_amount, reserved, level, used_by
    FROM guarantees WHERE grn IN (SELECT grn FROM input) ORDER BY grn FOR UPDATE
), g AS (
  SELECT i.grn, i.position::int AS position, l.status, ${accessCode} AS "accessCodeOk", l.holder_tin AS "holderTin",
         l.type, l.currency, l.reference_amount::float8 AS "referenceAmount", l.reserved::float8 AS reserved,
         l.used_by AS "usedBy", i.wanted_type AS "wantedType", i.wanted_currency AS "wantedCurrency",
         CASE WHEN l.type = '0' THEN 0 ELSE (i.share * coalesce(l.level, 100) + 99) / 100 END::bigint AS amount
    FROM input i LEFT JOIN locked l ON l.grn = i.grn
)`;

export const DECLARATION_SQL = `
WITH dup AS (
  SELECT mrn FROM movements WHERE operator_tin = $2 AND lrn = $3 AND role = 'departure'
), input AS (
  SELECT t.grn, t.position - 1 AS position, t.share, t.access_code, t.wanted_currency, t.wanted_type
    FROM unnest($12::text[], $13::bigint[], $16::text[], $15::text[], $18::text[]) WITH ORDINALITY
      AS t(grn, share, access_code, wanted_currency, wanted_type, position)
), ${GUARANTEE_ROWS(PRESENTED_ACCESS_CODE_OK)},
ok AS (
  SELECT NOT EXISTS (SELECT 1 FROM dup) AND NOT EXISTS (SELECT 1 FROM g WHERE NOT ${guaranteeOkSql('$14::boolean', '$1')}) AS ok
), r AS (
  UPDATE guarantees gu SET reserved = gu.reserved + CASE WHEN $14::boolean THEN g.amount ELSE 0 END,
         used_by = CASE WHEN gu.type IN ('2', '4') THEN $1 ELSE gu.used_by END, updated_at = now()
    FROM g WHERE gu.grn = g.grn AND (SELECT ok FROM ok) AND (($14::boolean AND g.amount > 0) OR gu.type IN ('2', '4'))
), m AS (
  INSERT INTO movements (mrn, role, operator_tin, lrn, content_hash, state, ctd, departure_office, transit_offices,
                         destination_office, risk_class, risk_reasons, limit_date)
  SELECT $1, 'departure', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $19::timestamptz
   WHERE (SELECT ok FROM ok)
  RETURNING mrn
), res AS (
  INSERT INTO reservations (mrn, grn, position, currency, amount, held)
  SELECT m.mrn, g.grn, g.position, g."wantedCurrency", g.amount, $14::boolean FROM m, g
), op AS (
  UPDATE operators SET released_movements = released_movements + 1 WHERE tin = $2 AND $14::boolean AND EXISTS (SELECT 1 FROM m)
), o AS (
  INSERT INTO outbox (message_type, recipient_country, recipient_office, mrn, body)
  SELECT t.type, t.country, t.office, m.mrn, t.body
    FROM m, jsonb_to_recordset($17::jsonb) AS t(type text, country text, office text, body jsonb)
)
SELECT (SELECT mrn FROM dup) AS existing, (SELECT mrn FROM m) AS inserted,
       (SELECT coalesce(json_agg(g ORDER BY g.position), '[]') FROM g) AS guarantees`;

export async function findMovement(db: Queryable, mrn: string): Promise<MovementRecord | undefined> {
  const { rows } = await db.query<MovementRecord>(`SELECT ${columns} FROM movements WHERE mrn = $1`, [mrn]);
  return rows[0];
}

export async function findByLrn(db: Queryable, operatorTin: string, lrn: string): Promise<MovementRecord | undefined> {
  const { rows } = await db.query<MovementRecord>(
    `SELECT ${columns} FROM movements WHERE operator_tin = $1 AND lrn = $2 AND role = 'departure'`,
    [operatorTin, lrn],
  );
  return rows[0];
}

/** The movement, locked until the end of the transaction. */
export async function lockMovement(db: Queryable, mrn: string): Promise<MovementRecord | undefined> {
  const { rows } = await db.query<MovementRecord>(`SELECT ${columns} FROM movements WHERE mrn = $1 FOR UPDATE`, [mrn]);
  return rows[0];
}

export interface MovementChange {
  state: string;
  crossedOffices?: string[];
  amendments?: number;
  ctd?: unknown;
  departureOffice?: string;
  transitOffices?: string[];
  destinationOffice?: string;
  riskClass?: string;
  riskReasons?: string[];
  controlConform?: boolean;
  limitDate?: Date;
  enquiryOpenedAt?: Date;
  enquiryReplyBy?: Date;
  enquiryAnswer?: 'arrived' | 'not-arrived';
  holderInformation?: string;
  enquiryMessageId?: string;
  enquiryAnsweredAt?: Date;
  recoveryOffice?: string;
  recoveryStartedAt?: Date;
  recoveryMessageId?: string;
  recoveryAnsweredAt?: Date;
  guaranteeRefusal?: string;
  /** JSON text of the whole list of incidents. */
  incidents?: string;
  openIncidents?: number;
}

const changeColumns: Record<keyof MovementChange, string> = {
  state: 'state',
  crossedOffices: 'crossed_offices',
  amendments: 'amendments',
  ctd: 'ctd',
  departureOffice: 'departure_office',
  transitOffices: 'transit_offices',
  destinationOffice: 'destination_office',
  riskClass: 'risk_class',
  riskReasons: 'risk_reasons',
  controlConform: 'control_conform',
  limitDate: 'limit_date',
  enquiryOpenedAt: 'enquiry_opened_at',
  enquiryReplyBy: 'enquiry_reply_by',
  enquiryAnswer: 'enquiry_answer',
  holderInformation: 'holder_information',
  enquiryMessageId: 'enquiry_message_id',
  enquiryAnsweredAt: 'enquiry_answered_at',
  recoveryOffice: 'recovery_office',
  recoveryStartedAt: 'recovery_started_at',
  recoveryMessageId: 'recovery_message_id',
  recoveryAnsweredAt: 'recovery_answered_at',
  guaranteeRefusal: 'guarantee_refusal',
  incidents: 'incidents',
  openIncidents: 'open_incidents',
};

export async function updateMovement(db: Queryable, mrn: string, change: MovementChange): Promise<MovementRecord> {
  const entries = Object.entries(change).filter(([, v]) => v !== undefined) as [keyof MovementChange, unknown][];
  const sets = entries.map(([k], i) => `${changeColumns[k]} = $${i + 2}`);
  const { rows } = await db.query<MovementRecord>(
    `UPDATE movements SET ${sets.join(', ')}, updated_at = now() WHERE mrn = $1 RETURNING ${columns}`,
    [mrn, ...entries.map(([, v]) => v)],
  );
  return rows[0]!;
}

/**
 * Reserves every planned, not yet held, reservation of a departure movement
 * (release after control), all or none, never beyond a guarantee's reference
 * amount. The access codes were checked when the holder presented them
 * (lodging, amendment); a release after control needs none.
 */
export async function holdReservations(
  db: Queryable,
  mrn: string,
  holderTin: string,
): Promise<{ held: true } | { held: false; guarantee: GuaranteeCheck }> {
  const { rows } = await db.query<{ ok: boolean; guarantees: GuaranteeCheck[] }>(
    `WITH input AS (
       SELECT grn, position, amount AS share, currency AS wanted_currency, NULL::text AS wanted_type
         FROM reservations WHERE mrn = $1 AND NOT held
     ), ${GUARANTEE_ROWS('true')}, checked AS (
       SELECT g.grn, g.position, g.status, g."accessCodeOk", g."holderTin", g.type, g.currency, g."referenceAmount",
              g.reserved, g."usedBy", g.type AS "wantedType", g."wantedCurrency", i.share AS amount
         FROM g JOIN input i ON i.grn = g.grn
     ), ok AS (
       SELECT NOT EXISTS (SELECT 1 FROM checked WHERE NOT ${guaranteeOkSql('true', '$1')}) AS ok
     ), u AS (
       UPDATE guarantees gu SET reserved = gu.reserved + c.amount, updated_at = now()
         FROM checked c WHERE gu.grn = c.grn AND c.amount > 0 AND (SELECT ok FROM ok)
     ), h AS (
       UPDATE reservations SET held = true WHERE mrn = $1 AND NOT held AND (SELECT ok FROM ok)
     ), op AS (
       UPDATE operators SET released_movements = released_movements + 1 WHERE tin = $2 AND (SELECT ok FROM ok)
     )
     SELECT (SELECT ok FROM ok) AS ok, (SELECT coalesce(json_agg(c ORDER BY c.position), '[]') FROM checked c) AS guarantees`,
    [mrn, holderTin],
  );
  const row = rows[0]!;
  if (row.ok) return { held: true };
  const refused = firstRefused(row.guarantees, holderTin, true, mrn);
  if (!refused) throw new Error(`reservations of ${mrn} neither held nor refused`);
  return { held: false, guarantee: refused };
}

/**
 * Replaces a not yet released movement's planned reservations (amendment),
 * checking each guarantee as at lodging with the access codes presented again;
 * the first refused guarantee, or undefined when planned.
 */
export async function replanReservations(
  db: Queryable,
  mrn: string,
  holderTin: string,
  shares: readonly DeclaredShare[],
): Promise<GuaranteeCheck | undefined> {
  const { rows } = await db.query<{ ok: boolean; guarantees: GuaranteeCheck[] }>(
    `WITH ${PRESENTED_SHARES}, ${GUARANTEE_ROWS(PRESENTED_ACCESS_CODE_OK)},
     ok AS (
       SELECT NOT EXISTS (SELECT 1 FROM g WHERE NOT ${guaranteeOkSql('false', '$1')}) AS ok
     ), d AS (
       DELETE FROM reservations WHERE mrn = $1 AND NOT held AND grn NOT IN (SELECT grn FROM g) AND (SELECT ok FROM ok)
     ), u AS (
       UPDATE guarantees gu SET used_by = $1, updated_at = now()
         FROM g WHERE gu.grn = g.grn AND gu.type IN ('2', '4') AND (SELECT ok FROM ok)
     ), f AS (
       UPDATE guarantees SET used_by = NULL, updated_at = now()
        WHERE used_by = $1 AND grn NOT IN (SELECT grn FROM g) AND (SELECT ok FROM ok)
     ), i AS (
       INSERT INTO reservations (mrn, grn, position, currency, amount, held)
       SELECT $1, g.grn, g.position, g."wantedCurrency", g.amount, false FROM g WHERE (SELECT ok FROM ok)
       ON CONFLICT (mrn, grn) DO UPDATE SET position = EXCLUDED.position, currency = EXCLUDED.currency,
         amount = EXCLUDED.amount WHERE NOT reservations.held
     )
     SELECT (SELECT ok FROM ok) AS ok, (SELECT coalesce(json_agg(g ORDER BY g.position), '[]') FROM g) AS guarantees`,
    [
      mrn,
      holderTin,
      shares.map((s) => s.grn),
      shares.map((s) => s.share),
      shares.map((s) => s.accessCode),
      shares.map((s) => s.currency),
      shares.map((s) => s.type),
    ],
  );
  const row = rows[0]!;
  if (row.ok) return undefined;
  const refused = firstRefused(row.guarantees, holderTin, false, mrn);
  if (!refused) throw new Error(`reservations of ${mrn} neither planned nor refused`);
  return refused;
}

/**
 * Frees the individual guarantees a movement planned to use but never held: it
 * ended before release (cancelled, not released), so it used none of them.
 */
export async function freeUnusedGuarantees(db: Queryable, mrn: string): Promise<void> {
  await db.query(
    `UPDATE guarantees gu SET used_by = NULL, updated_at = now()
      WHERE gu.used_by = $1 AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.mrn = $1 AND r.grn = gu.grn AND r.held)`,
    [mrn],
  );
}

/** Gives every held reservation of a movement back to its guarantee (write-off, invalidation). */
export async function giveBackReservations(db: Queryable, mrn: string): Promise<void> {
  await db.query(
    `WITH r AS (UPDATE reservations SET held = false WHERE mrn = $1 AND held RETURNING grn, amount)
     UPDATE guarantees gu SET reserved = gu.reserved - r.amount, updated_at = now() FROM r WHERE gu.grn = r.grn AND r.amount > 0`,
    [mrn],
  );
}

/**
 * Settles every held reservation of a movement out of its guarantee after
 * recovery: the guarantee paid the debt, so its reservation and its reference
 * amount both go down by the amount.
 */
export async function chargeReservations(db: Queryable, mrn: string): Promise<void> {
  await db.query(
    `WITH r AS (UPDATE reservations SET held = false, charged = true WHERE mrn = $1 AND held RETURNING grn, amount)
     UPDATE guarantees gu SET reserved = gu.reserved - r.amount, reference_amount = gu.reference_amount - r.amount,
            updated_at = now() FROM r WHERE gu.grn = r.grn AND r.amount > 0`,
    [mrn],
  );
}

/** Departure movements released and not arrived whose limit date is past (business time `now`). */
export async function pastLimit(db: Queryable, now: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ mrn: string }>(
    `SELECT mrn FROM movements WHERE role = 'departure' AND state IN ('RELEASED', 'IN_TRANSIT') AND limit_date <= $1
      ORDER BY limit_date LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => r.mrn);
}

/** Departure movements whose enquiry period is over without the goods reported arrived. */
export async function enquiriesDue(db: Queryable, now: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ mrn: string }>(
    `SELECT mrn FROM movements WHERE role = 'departure' AND state = 'ENQUIRY' AND enquiry_reply_by <= $1
        AND enquiry_answer IS DISTINCT FROM 'arrived' ORDER BY enquiry_reply_by LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => r.mrn);
}

/** Departure movements past their limit date that have not arrived (released, in transit or under enquiry). */
export async function countPastLimit(db: Queryable, now: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM movements WHERE role = 'departure' AND state IN ('RELEASED', 'IN_TRANSIT', 'ENQUIRY')
        AND limit_date <= $1`,
    [now],
  );
  return rows[0]!.n;
}

export async function insertOutbox(db: Queryable, mrn: string, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await db.query(
    `INSERT INTO outbox (message_type, recipient_country, recipient_office, sender_office, mrn, body)
     SELECT t.type, t.country, t.office, t."senderOffice", $1, t.body
       FROM jsonb_to_recordset($2::jsonb) AS t(type text, country text, office text, "senderOffice" text, body jsonb)`,
    [mrn, JSON.stringify(messages)],
  );
}

/** Movements per role and state, the final states left out (a scan of the table: for startup, not per request). */
export async function countOpenMovements(
  db: Queryable,
  finalStates: readonly string[],
): Promise<{ role: MovementRole; state: string; count: number }[]> {
  const { rows } = await db.query<{ role: MovementRole; state: string; count: number }>(
    'SELECT role, state, count(*)::int AS count FROM movements WHERE NOT (state = ANY($1::text[])) GROUP BY role, state',
    [finalStates],
  );
  return rows;
}

export interface MovementFilter {
  operatorTin?: string;
  /** Movements touching any of these offices (departure, transit or destination). */
  offices?: string[];
  state?: string;
  after?: string;
  limit: number;
}

export async function listMovements(db: Queryable, f: MovementFilter): Promise<MovementRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, v: unknown) => {
    params.push(v);
    where.push(sql(`$${params.length}`));
  };
  if (f.operatorTin !== undefined) add((p) => `operator_tin = ${p}`, f.operatorTin);
  if (f.offices !== undefined)
    add(
      (p) => `(departure_office = ANY(${p}) OR destination_office = ANY(${p}) OR transit_offices && ${p})`,
      f.offices,
    );
  if (f.state !== undefined) add((p) => `state = ${p}`, f.state);
  if (f.after !== undefined) add((p) => `mrn > ${p}`, f.after);
  params.push(f.limit);
  const { rows } = await db.query<MovementRecord>(
    `SELECT ${columns} FROM movements ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY mrn LIMIT $${params.length}`,
    params,
  );
  return rows;
}

/** A movement declared in another country, seen here as office of transit or destination (from IE050 / IE001). */
export async function insertForeignMovement(
  db: Queryable,
  f: {
    mrn: string;
    role: 'transit' | 'destination';
    ctd: {
      lrn: string;
      holder: { identificationNumber: string };
      offices: { departure: string; transit: string[]; destination: string };
    };
    state: string;
  },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO movements (mrn, role, operator_tin, lrn, state, ctd, departure_office, transit_offices, destination_office)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (mrn) DO NOTHING`,
    [
      f.mrn,
      f.role,
      f.ctd.holder.identificationNumber,
      f.ctd.lrn,
      f.state,
      f.ctd,
      f.ctd.offices.departure,
      f.ctd.offices.transit,
      f.ctd.offices.destination,
    ],
  );
  return rowCount === 1;
}
