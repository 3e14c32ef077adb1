// ICE's audit route: the status of every C2C message it stored, for the
// deployment's auditor identity (`GET /v1/audit/messages` on ICE's HTTP port,
// bearer token). A reconciliation matches it per message id against each
// receiving node's ledger of applied messages (../audit.ts).
import { Type, type Static } from '@sinclair/typebox';
import { CountryCode } from '../ctd.ts';
import { Mrn } from '../movements.ts';
import { Limit } from '../audit.ts';
import { MessageId } from './envelope.ts';

export const ICE_AUDIT_PATH = '/v1/audit/messages';

export const IceAuditQuery = Type.Object(
  {
    limit: Limit,
    after: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'the `next` of the previous page' })),
  },
  { additionalProperties: false },
);

export const StoredMessage = Type.Object({
  id: MessageId,
  type: Type.String({ description: 'ICE message type, e.g. IE001' }),
  mrn: Mrn,
  sender: CountryCode,
  recipient: CountryCode,
  storedAt: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('applied'), Type.Literal('rejected')], {
    description:
      'pending: not yet acknowledged by the recipient; applied or rejected: as the recipient acknowledged it',
  }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  rejection: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
});

export const StoredMessageList = Type.Object({
  items: Type.Array(StoredMessage),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `after` for the next page' }),
});

export type StoredMessage = Static<typeof StoredMessage>;
export type StoredMessageList = Static<typeof StoredMessageList>;
