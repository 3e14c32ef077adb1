import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference } from '../ctd.ts';
import { ReleasedMovement } from './ie001-anticipated-arrival-record.ts';
import { iceMessage } from './envelope.ts';

export const IE003 = iceMessage(
  'IE003',
  'AAR Response (CD003C)',
  'Departure → the office of destination that asked (IE002): the released movement, with that office as its ' +
    'office of destination.',
  Type.Object({ ...ReleasedMovement, officeOfDestination: OfficeReference }, { additionalProperties: false }),
);
export type IE003 = Static<typeof IE003>;
