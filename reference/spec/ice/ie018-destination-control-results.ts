import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference } from '../ctd.ts';
import { iceMessage, Timestamp } from './envelope.ts';

export const IE018 = iceMessage(
  'IE018',
  'Destination Control Results (CD018C)',
  'Destination → departure, after unloading/control; conform results let departure write the movement off.',
  Type.Object(
    {
      officeOfDestination: OfficeReference,
      controlledAt: Timestamp,
      conform: Type.Boolean({ description: 'no discrepancies found' }),
      remarks: Type.Optional(Type.String({ maxLength: 512 })),
    },
    { additionalProperties: false },
  ),
);
export type IE018 = Static<typeof IE018>;
