// What an operator receives on its WebSocket stream: every step of each of its
// movements, and the access code of each of its guarantees when customs approves it.
import { Type, type Static } from '@sinclair/typebox';
import { Grn, Lrn, OfficeReference } from './ctd.ts';
import { AccessCode } from './guarantees.ts';
import { Mrn } from './movements.ts';
import { MovementStateSchema } from './movement-state.ts';

export const MovementNotification = Type.Object({
  type: Type.Literal('movement'),
  mrn: Mrn,
  lrn: Type.Union([Lrn, Type.Null()]),
  event: Type.String({
    description:
      'accept, control, release, refuse, amend, cancel, cross, arrive, controlResults, writeOff; discrepancies ' +
      '(IE019), resolveDiscrepancies, limitExpired (IE140: the holder is asked about the movement), enquiryAnswer, ' +
      'holderInformation, recover, recovered, recoveryWaived, invalidate (IE009), divertTransit, divertDestination, incident (IE182), incidentDecision; ' +
      "awaitGuarantee (IE203 sent to the guarantee's country), guaranteeAccepted, guaranteeRefused (IE055-like: reason)",
  }),
  state: MovementStateSchema,
  office: Type.Union([OfficeReference, Type.Null()]),
  reason: Type.Optional(
    Type.Object(
      { code: Type.String(), message: Type.String() },
      {
        description:
          "guaranteeRefused: why the guarantee's country refused (the codes of a local refusal), or GUARANTEE_UNANSWERED",
      },
    ),
  ),
  at: Type.String({ format: 'date-time' }),
});

export const GuaranteeNotification = Type.Object({
  type: Type.Literal('guarantee'),
  grn: Grn,
  event: Type.Literal('approve'),
  accessCode: Type.Union([AccessCode, Type.Null()], {
    description: 'Issued at this approval and shown this once; null when the guarantee already had one',
  }),
  at: Type.String({ format: 'date-time' }),
});

export const Notification = Type.Union([MovementNotification, GuaranteeNotification]);

export type Notification = Static<typeof Notification>;
