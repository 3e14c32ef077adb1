import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference } from '../ctd.ts';
import { iceMessage } from './envelope.ts';
import { ReleasedMovement } from './ie001-anticipated-arrival-record.ts';

export const IE050 = iceMessage(
  'IE050',
  'Anticipated Transit Record (CD050C)',
  'Departure → each declared office of transit, on release for transit.',
  Type.Object({ ...ReleasedMovement, officeOfTransit: OfficeReference }, { additionalProperties: false }),
);
export type IE050 = Static<typeof IE050>;
