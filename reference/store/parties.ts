// Operators, officers and their bearer-token credentials.
import { createHash } from 'node:crypto';
import type { Queryable } from './database.ts';

export type OperatorStatus = 'PENDING' | 'ACTIVE' | 'SUSPENDED';

export interface OperatorRecord {
  tin: string;
  name: string;
  country: string;
  aeo: boolean;
  status: OperatorStatus;
  releasedMovements: number;
}

export interface OfficerRecord {
  id: string;
  name: string;
  offices: string[];
}

export type CredentialOwner =
  { role: 'operator'; operator: OperatorRecord } | { role: 'officer'; officer: OfficerRecord };

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

const operatorColumns = `tin, name, country, aeo, status, released_movements AS "releasedMovements"`;

/** Inserts a pending operator with its token; false when the TIN is already registered. */
export async function insertOperator(
  db: Queryable,
  op: Omit<OperatorRecord, 'releasedMovements' | 'status'>,
  token: string,
): Promise<OperatorRecord | undefined> {
  const { rows } = await db.query<OperatorRecord>(
    `WITH o AS (
       INSERT INTO operators (tin, name, country, aeo, status) VALUES ($1, $2, $3, $4, 'PENDING')
       ON CONFLICT (tin) DO NOTHING RETURNING ${operatorColumns}
     ), c AS (
       INSERT INTO credentials (token_hash, role, operator_tin) SELECT $5, 'operator', tin FROM o
     )
     SELECT * FROM o`,
    [op.tin, op.name, op.country, op.aeo, tokenHash(token)],
  );
  return rows[0];
}

export async function findOperator(db: Queryable, tin: string): Promise<OperatorRecord | undefined> {
  const { rows } = await db.query<OperatorRecord>(`SELECT ${operatorColumns} FROM operators WHERE tin = $1`, [tin]);
  return rows[0];
}

export async function setOperatorStatus(
  db: Queryable,
  tin: string,
  status: OperatorStatus,
  aeo?: boolean,
): Promise<OperatorRecord | undefined> {
  const { rows } = await db.query<OperatorRecord>(
    `UPDATE operators SET status = $2, aeo = COALESCE($3, aeo), updated_at = now() WHERE tin = $1 RETURNING ${operatorColumns}`,
    [tin, status, aeo ?? null],
  );
  return rows[0];
}

export async function findCredential(db: Queryable, token: string): Promise<CredentialOwner | undefined> {
  const { rows } = await db.query<{
    role: 'operator' | 'officer';
    tin: string;
    name: string;
    country: string;
    aeo: boolean;
    status: OperatorStatus;
    released: number;
    officer_id: string;
    officer_name: string;
    offices: string[];
  }>(
    `SELECT c.role, o.tin, o.name, o.country, o.aeo, o.status, o.released_movements AS released,
            f.id AS officer_id, f.name AS officer_name, f.offices
       FROM credentials c
       LEFT JOIN operators o ON o.tin = c.operator_tin
       LEFT JOIN officers f ON f.id = c.officer_id
      WHERE c.token_hash = $1`,
    [tokenHash(token)],
  );
  const r = rows[0];
  if (!r) return undefined;
  return r.role === 'operator'
    ? {
        role: 'operator',
        operator: {
          tin: r.tin,
          name: r.name,
          country: r.country,
          aeo: r.aeo,
          status: r.status,
          releasedMovements: r.released,
        },
      }
    : { role: 'officer', officer: { id: r.officer_id, name: r.officer_name, offices: r.offices } };
}

/** Upserts active operators with their tokens (fixtures). */
export async function upsertOperators(
  db: Queryable,
  ops: readonly (Omit<OperatorRecord, 'releasedMovements' | 'status'> & { token: string })[],
): Promise<void> {
  if (ops.length === 0) return;
  await db.query(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::bytea[]) AS t(tin, name, country, aeo, token_hash)
     ), o AS (
       INSERT INTO operators (tin, name, country, aeo, status)
       SELECT tin, name, country, aeo, 'ACTIVE' FROM input
       ON CONFLICT (tin) DO UPDATE SET name = EXCLUDED.name, country = EXCLUDED.country, aeo = EXCLUDED.aeo, status = 'ACTIVE', updated_at = now()
       RETURNING tin
     )
     INSERT INTO credentials (token_hash, role, operator_tin)
     SELECT i.token_hash, 'operator', o.tin FROM input i JOIN o ON o.tin = i.tin
     ON CONFLICT (token_hash) DO UPDATE SET role = 'operator', operator_tin = EXCLUDED.operator_tin, officer_id = NULL`,
    [
      ops.map((o) => o.tin),
      ops.map((o) => o.name),
      ops.map((o) => o.country),
      ops.map((o) => o.aeo),
      ops.map((o) => tokenHash(o.token)),
    ],
  );
}

/** Upserts officers with their tokens (fixtures). */
export async function upsertOfficers(
  db: Queryable,
  officers: readonly (OfficerRecord & { token: string })[],
): Promise<void> {
  if (officers.length === 0) return;
  await db.query(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[]) AS t(id, name, offices, token_hash)
     ), f AS (
       INSERT INTO officers (id, name, offices)
       SELECT id, name, string_to_array(offices, ',') FROM input
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, offices = EXCLUDED.offices
       RETURNING id
     )
     INSERT INTO credentials (token_hash, role, officer_id)
     SELECT i.token_hash, 'officer', f.id FROM input i JOIN f ON f.id = i.id
     ON CONFLICT (token_hash) DO UPDATE SET role = 'officer', officer_id = EXCLUDED.officer_id, operator_tin = NULL`,
    [
      officers.map((o) => o.id),
      officers.map((o) => o.name),
      officers.map((o) => o.offices.join(',')),
      officers.map((o) => tokenHash(o.token)),
    ],
  );
}
