// Read-only queries behind the audit routes: keyset pages over movements,
// guarantees and the ledger of applied C2C messages.
import type { Queryable } from './database.ts';

export interface AuditMovementRow {
  mrn: string;
  role: 'departure' | 'transit' | 'destination';
  state: string;
  departureOffice: string;
  transitOffices: string[];
  destinationOffice: string;
  /** Held reservations on guarantees registered here, amounts in minor units. */
  reservations: Array<{ grn: string; amount: string; currency: string }>;
  /** Held reservations the country that registered the guarantees reported (IE205). */
  reservedAbroad: Array<{ grn: string; amount: string; currency: string }>;
  /** Reservations paid out of their guarantee after recovery. */
  charged: Array<{ grn: string; amount: string; currency: string }>;
}

/** Held reservations on guarantees registered in `country` (here) or elsewhere (abroad). */
const heldReservations = (where: 'here' | 'abroad') =>
  `(SELECT coalesce(jsonb_agg(jsonb_build_object('grn', r.grn, 'amount', r.amount::text, 'currency', r.currency)
                    ORDER BY r.position), '[]'::jsonb)
      FROM reservations r WHERE r.mrn = m.mrn AND r.held AND r.amount > 0
       AND (substr(r.grn, 3, 2) = $3) = ${where === 'here' ? 'true' : 'false'})`;

export async function auditMovementPage(
  db: Queryable,
  country: string,
  after: string,
  limit: number,
): Promise<AuditMovementRow[]> {
  const { rows } = await db.query<AuditMovementRow>(
    `SELECT mrn, role, state, departure_office AS "departureOffice", transit_offices AS "transitOffices",
            destination_office AS "destinationOffice", ${heldReservations('here')} AS reservations,
            ${heldReservations('abroad')} AS "reservedAbroad",
            (SELECT coalesce(jsonb_agg(jsonb_build_object('grn', r.grn, 'amount', r.amount::text, 'currency', r.currency)
                                       ORDER BY r.position), '[]'::jsonb)
               FROM reservations r WHERE r.mrn = m.mrn AND r.charged AND r.amount > 0) AS charged
       FROM movements m WHERE mrn > $1 ORDER BY mrn LIMIT $2`,
    [after, limit, country],
  );
  return rows;
}

export interface AuditGuaranteeRow {
  grn: string;
  currency: string;
  referenceAmount: string;
  reserved: string;
}

export async function auditGuaranteePage(db: Queryable, after: string, limit: number): Promise<AuditGuaranteeRow[]> {
  const { rows } = await db.query<AuditGuaranteeRow>(
    `SELECT grn, currency, reference_amount::text AS "referenceAmount", reserved::text AS reserved
       FROM guarantees WHERE grn > $1 ORDER BY grn LIMIT $2`,
    [after, limit],
  );
  return rows;
}

export interface AppliedMessageRow {
  messageId: string;
  type: string;
  mrn: string;
  appliedAt: Date;
}

export async function appliedMessagePage(db: Queryable, after: string, limit: number): Promise<AppliedMessageRow[]> {
  const { rows } = await db.query<AppliedMessageRow>(
    `SELECT message_id AS "messageId", message_type AS type, mrn, received_at AS "appliedAt"
       FROM inbound_messages WHERE message_id > $1 ORDER BY message_id LIMIT $2`,
    [after, limit],
  );
  return rows;
}
