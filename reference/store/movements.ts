// Movements and the statements of their transitions.
import { accessCodeMatchesSql } from './access-code.ts';
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
  guaranteeGrn: string | null;
  amountToReserve: number | null;
  reservedAmount: number;
  currency: string | null;
  controlConform: boolean | null;
  createdAt: Date;
  updatedAt: Date;
}

const columns = `mrn, role, operator_tin AS "operatorTin", lrn, content_hash AS "contentHash", state, ctd,
  departure_office AS "departureOffice", transit_offices AS "transitOffices", destination_office AS "destinationOffice",
  crossed_offices AS "crossedOffices", amendments, risk_class AS "riskClass", risk_reasons AS "riskReasons",
  guarantee_grn AS "guaranteeGrn", amount_to_reserve AS "amountToReserve", reserved_amount AS "reservedAmount", currency,
  control_conform AS "controlConform", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A C2C message to write to the outbox with a state change. */
export interface OutboxMessage {
  type: string;
  country: string;
  office: string | null;
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
  guaranteeGrn: string;
  accessCode: string;
  /** Minor units of `currency` to reserve (the amount due at the guarantee level). */
  amountToReserve: number;
  currency: string;
  /** Reserve now (released at once) or only check the guarantee (sent to control). */
  reserve: boolean;
  messages: OutboxMessage[];
}

/** What the guarantee looked like to the declaration statement, to explain a refusal. */
export interface GuaranteeCheck {
  status: string;
  /** Whether the access code presented is the guarantee's (true where none was presented). */
  accessCodeOk: boolean;
  holderTin: string;
  currency: string;
  referenceAmount: number;
  reserved: number;
}

type GuaranteeRow = {
  status: string | null;
  access_code_ok: boolean;
  holder_tin: string;
  currency: string;
  reference_amount: number;
  reserved: number;
};

function guaranteeCheck(row: GuaranteeRow): GuaranteeCheck | undefined {
  return row.status === null
    ? undefined
    : {
        status: row.status,
        accessCodeOk: row.access_code_ok,
        holderTin: row.holder_tin,
        currency: row.currency,
        referenceAmount: row.reference_amount,
        reserved: row.reserved,
      };
}

export type DeclarationInsert =
  | { outcome: 'inserted'; reserved: boolean }
  | { outcome: 'guarantee-refused'; guarantee: GuaranteeCheck | undefined }
  | { outcome: 'lrn-taken' };

/**
 * The whole declaration in ONE autocommit statement: unless the operator's LRN
 * is taken, reserve on the guarantee (released at once) or check it (sent to
 * control), and only then insert the movement, count the release and write the
 * C2C messages. A concurrent lodging of the same LRN fails on the unique index
 * (23505) and so reserves nothing.
 */
export async function insertDeclaration(db: Queryable, d: NewDeclaration): Promise<DeclarationInsert> {
  const { rows } = await db.query<{ existing: string | null; inserted: string | null } & GuaranteeRow>(
    declarationQuery(d),
  );
  const row = rows[0]!;
  if (row.existing !== null) return { outcome: 'lrn-taken' };
  if (row.inserted !== null) return { outcome: 'inserted', reserved: d.reserve };
  return { outcome: 'guarantee-refused', guarantee: guaranteeCheck(row) };
}

/** The declaration statement as a named prepared statement: parsed and planned once per connection. */
export function declarationQuery(d: NewDeclaration): { name: string; text: string; values: unknown[] } {
  return { name: 'insert_declaration', text: DECLARATION_SQL, values: declarationParams(d) };
}

function declarationParams(d: NewDeclaration): unknown[] {
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
    d.guaranteeGrn,
    d.amountToReserve,
    d.reserve,
    d.currency,
    d.accessCode,
    JSON.stringify(d.messages),
  ];
}

export const DECLARATION_SQL = `
WITH dup AS (
  SELECT mrn FROM movements WHERE operator_tin = $2 AND lrn = $3 AND role = 'departure'
), g AS (
  SELECT status, ${accessCodeMatchesSql('$16')} AS access_code_ok, holder_tin, currency, reference_amount, reserved
    FROM guarantees WHERE grn = $12
), r AS (
  UPDATE guarantees SET reserved = reserved + $13::bigint, updated_at = now()
   WHERE grn = $12 AND $14::boolean AND NOT EXISTS (SELECT 1 FROM dup)
     AND status = 'ACTIVE' AND ${accessCodeMatchesSql('$16')} AND holder_tin = $2 AND currency = $15
     AND reserved + $13::bigint <= reference_amount
  RETURNING reserved
), ok AS (
  SELECT CASE WHEN $14::boolean THEN EXISTS (SELECT 1 FROM r)
         ELSE NOT EXISTS (SELECT 1 FROM dup) AND EXISTS (
           SELECT 1 FROM g WHERE status = 'ACTIVE' AND access_code_ok AND holder_tin = $2 AND currency = $15)
         END AS ok
), m AS (
  INSERT INTO movements (mrn, role, operator_tin, lrn, content_hash, state, ctd, departure_office, transit_offices,
                         destination_office, risk_class, risk_reasons, guarantee_grn, amount_to_reserve, reserved_amount, currency)
  SELECT $1, 'departure', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, CASE WHEN $14::boolean THEN $13::bigint ELSE 0 END, $15
   WHERE (SELECT ok FROM ok)
  RETURNING mrn
), op AS (
  UPDATE operators SET released_movements = released_movements + 1 WHERE tin = $2 AND EXISTS (SELECT 1 FROM r)
), o AS (
  INSERT INTO outbox (message_type, recipient_country, recipient_office, mrn, body)
  SELECT t.type, t.country, t.office, m.mrn, t.body
    FROM m, jsonb_to_recordset($17::jsonb) AS t(type text, country text, office text, body jsonb)
)
SELECT (SELECT mrn FROM dup) AS existing, (SELECT mrn FROM m) AS inserted, g.*
  FROM (SELECT 1) one LEFT JOIN g ON true`;

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
  guaranteeGrn?: string;
  amountToReserve?: number;
  currency?: string;
  reservedAmount?: number;
  controlConform?: boolean;
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
  guaranteeGrn: 'guarantee_grn',
  amountToReserve: 'amount_to_reserve',
  currency: 'currency',
  reservedAmount: 'reserved_amount',
  controlConform: 'control_conform',
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
 * Reserves `amount` on an active guarantee of `holderTin` in `currency`, never
 * beyond its reference amount; returns the guarantee as seen (to explain a refusal)
 * and whether the reservation was made. The access code was checked when the
 * holder presented it (lodging, amendment); a release after control needs none.
 */
export async function reserveGuarantee(
  db: Queryable,
  r: { grn: string; holderTin: string; currency: string; amount: number },
): Promise<{ reserved: boolean; guarantee: GuaranteeCheck | undefined }> {
  const { rows } = await db.query<{ reserved_now: number | null } & GuaranteeRow>(
    `WITH g AS (
       SELECT status, true AS access_code_ok, holder_tin, currency, reference_amount, reserved FROM guarantees WHERE grn = $1
     ), r AS (
       UPDATE guarantees SET reserved = reserved + $4::bigint, updated_at = now()
        WHERE grn = $1 AND status = 'ACTIVE' AND holder_tin = $2 AND currency = $3 AND reserved + $4::bigint <= reference_amount
       RETURNING reserved
     ), op AS (
       UPDATE operators SET released_movements = released_movements + 1 WHERE tin = $2 AND EXISTS (SELECT 1 FROM r)
     )
     SELECT (SELECT reserved FROM r) AS reserved_now, g.* FROM (SELECT 1) one LEFT JOIN g ON true`,
    [r.grn, r.holderTin, r.currency, r.amount],
  );
  const row = rows[0]!;
  return { reserved: row.reserved_now !== null, guarantee: guaranteeCheck(row) };
}

/** The guarantee as a holder presenting `accessCode` sees it (undefined when it does not exist). */
export async function checkGuarantee(
  db: Queryable,
  grn: string,
  accessCode: string,
): Promise<GuaranteeCheck | undefined> {
  const { rows } = await db.query<GuaranteeRow>(
    `SELECT status, ${accessCodeMatchesSql('$2')} AS access_code_ok, holder_tin, currency, reference_amount, reserved
       FROM guarantees WHERE grn = $1`,
    [grn, accessCode],
  );
  return rows[0] ? guaranteeCheck(rows[0]) : undefined;
}

/** Gives a movement's reservation back to its guarantee (write-off). */
export async function releaseReservation(db: Queryable, grn: string, amount: number): Promise<void> {
  if (amount <= 0) return;
  await db.query(`UPDATE guarantees SET reserved = reserved - $2::bigint, updated_at = now() WHERE grn = $1`, [
    grn,
    amount,
  ]);
}

export async function insertOutbox(db: Queryable, mrn: string, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await db.query(
    `INSERT INTO outbox (message_type, recipient_country, recipient_office, mrn, body)
     SELECT t.type, t.country, t.office, $1, t.body FROM jsonb_to_recordset($2::jsonb) AS t(type text, country text, office text, body jsonb)`,
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
