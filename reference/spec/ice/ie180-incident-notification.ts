import { Type, type Static } from '@sinclair/typebox';
import { OfficeReference } from '../ctd.ts';
import { Incident } from '../movements.ts';
import { iceMessage } from './envelope.ts';

export const IE180 = iceMessage(
  'IE180',
  'Incident Notification (CD180C)',
  'The competent office of the country where an incident en route happened → departure.',
  Type.Object({ officeOfIncident: OfficeReference, ...Incident.properties }, { additionalProperties: false }),
);
export type IE180 = Static<typeof IE180>;
