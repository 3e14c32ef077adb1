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
  guaranteeGrn: string | null;
  reservedAmount: string;
  currency: string | null;
}

export async function auditMovementPage(db: Queryable, after: string, limit: number): Promise<AuditMovementRow[]> {
  const { rows } = await db.query<AuditMovementRow>(
    `SELECT mrn, role, state, departure_office AS "departureOffice", transit_offices AS "transitOffices",
            destination_office AS "destinationOffice", guarantee_grn AS "guaranteeGrn",
            reserved_amount::text AS "reservedAmount", currency
       FROM movements WHERE mrn > $1 ORDER BY mrn LIMIT $2`,
    [after, limit],
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
