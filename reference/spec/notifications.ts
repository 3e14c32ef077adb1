// What an operator receives on its WebSocket stream at every step of each of its movements.
import { Type, type Static } from '@sinclair/typebox';
import { Lrn, OfficeReference } from './ctd.ts';
import { Mrn } from './movements.ts';
import { MovementStateSchema } from './movement-state.ts';

export const Notification = Type.Object({
  type: Type.Literal('movement'),
  mrn: Mrn,
  lrn: Type.Union([Lrn, Type.Null()]),
  event: Type.String({
    description: 'accept, control, release, refuse, amend, cancel, cross, arrive, controlResults, writeOff',
  }),
  state: MovementStateSchema,
  office: Type.Union([OfficeReference, Type.Null()]),
  at: Type.String({ format: 'date-time' }),
});

export type Notification = Static<typeof Notification>;
