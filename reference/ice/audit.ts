// GET /v1/audit/messages: every stored message with its delivery status, paged
// by storage order, for a reconciliation. Query errors answer 400 in the
// project's error shape.
import { Value } from '@sinclair/typebox/value';
import { IceAuditQuery, type StoredMessageList } from '../spec/ice/audit.ts';
import type { IceStore } from './store.ts';

const DEFAULT_LIMIT = 500;

type Answer =
  | { status: 200; body: StoredMessageList }
  | {
      status: 400;
      body: { code: string; message: string; errors: { code: string; pointer: string; message: string }[] };
    };

export async function auditMessages(store: IceStore, url: string): Promise<Answer> {
  const query = Object.fromEntries(new URL(url, 'http://ice').searchParams);
  if (!Value.Check(IceAuditQuery, query)) {
    const errors = [...Value.Errors(IceAuditQuery, query)].map((e) => ({
      code: 'SCHEMA_VIOLATION',
      pointer: e.path,
      message: e.message,
    }));
    return {
      status: 400,
      body: { code: 'SCHEMA_VIOLATION', message: `query does not match the schema: ${errors[0]?.pointer}`, errors },
    };
  }
  const limit = Number(query.limit ?? DEFAULT_LIMIT);
  const rows = await store.auditPage(query.after ?? '0', limit);
  return {
    status: 200,
    body: { items: rows.map((r) => r.message), next: rows.length === limit ? rows[rows.length - 1]!.seq : null },
  };
}
