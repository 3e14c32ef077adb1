import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference } from '../ctd.ts';
import { ReleasedMovement } from './ie001-anticipated-arrival-record.ts';
import { iceMessage } from './envelope.ts';

export const IE115 = iceMessage(
  'IE115',
  'ATR Response (CD115C)',
  'Departure → the office of transit that asked (IE114): the released movement, its offices of transit now ' +
    'including that office.',
  Type.Object({ ...ReleasedMovement, officeOfTransit: OfficeReference }, { additionalProperties: false }),
);
export type IE115 = Static<typeof IE115>;
