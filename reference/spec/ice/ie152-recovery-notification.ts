import { Type, type Static } from '@sinclair/typebox';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE152 = iceMessage(
  'IE152',
  'Recovery Notification (CD152C)',
  'Requested country → departure, answering an IE150 (correlationId = its id): recovery accepted or declined.',
  Type.Object(
    {
      notifiedAt: Timestamp,
      recoveryAccepted: Type.Boolean(),
      information: Type.Optional(Type.String({ maxLength: 512 })),
    },
    { additionalProperties: false },
  ),
);
export type IE152 = Static<typeof IE152>;
