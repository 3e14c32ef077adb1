// Frames of the ICE WebSocket protocol (one JSON object per text frame).
// See reference/ice/README.md for the exchange.
import { Type, type Static } from '@sinclair/typebox';
import { CountryCode } from '../ctd.ts';
import { MessageId } from './envelope.ts';

export const IceErrorCodes = [
  'MALFORMED_JSON',
  'UNKNOWN_FRAME',
  'SCHEMA_VIOLATION',
  'BODY_TOO_LARGE',
  'FORGED_SENDER',
  'UNKNOWN_OFFICE',
  'UNKNOWN_RECIPIENT',
  'INVALID_MRN',
  'SENDER_NOT_DESIGNATED',
  'MRN_COUNTRY_MISMATCH',
  'GRN_COUNTRY_MISMATCH',
  'CONFLICT',
  'STORE_UNAVAILABLE',
] as const;
export type IceErrorCode = (typeof IceErrorCodes)[number];

const IceErrorCode = Type.Union(IceErrorCodes.map((c) => Type.Literal(c)));

/** node → ICE: store this message and route it to its recipient. */
export const SendFrame = Type.Object(
  { type: Type.Literal('send'), message: Type.Unknown({ description: 'a message of the catalogue' }) },
  { additionalProperties: false },
);
/**
 * Why a node refused a delivered message. Codes of the sender rule: SENDER_NOT_DESIGNATED
 * (not the office the movement designates for this message), MRN_COUNTRY_MISMATCH,
 * SENDER_NOT_IN_EXCHANGE (a country without a node), WRONG_RECIPIENT (addressed to another
 * country), UNKNOWN_MOVEMENT (no such movement
 * here in the role the message needs); others (e.g. ILLEGAL_TRANSITION) from the movement's rules.
 */
export const Rejected = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', maxLength: 64 }),
    message: Type.String({ maxLength: 1024 }),
  },
  { additionalProperties: false },
);
/**
 * node → ICE: the delivered message `ref` is dealt with: applied, or, with `rejected`,
 * refused by this node (recorded, not applied). Either way ICE does not deliver it again.
 */
export const AckFrame = Type.Object(
  { type: Type.Literal('ack'), ref: MessageId, rejected: Type.Optional(Rejected) },
  { additionalProperties: false },
);

/** ICE → node, once after the upgrade. */
export const WelcomeFrame = Type.Object({
  type: Type.Literal('welcome'),
  country: CountryCode,
  /** Most deliveries ICE keeps unacknowledged on this connection. */
  window: Type.Integer(),
  /** A delivery not acknowledged within this time is sent again. */
  ackTimeoutMs: Type.Integer(),
  /** ICE pings this often; a node hearing nothing for three intervals should reconnect. */
  heartbeatMs: Type.Integer(),
  /** Whether this connection receives the country's messages (only one connection per country does). */
  receiving: Type.Boolean(),
});
/** ICE → sender: message `ref` is durably stored (duplicate: it already was). */
export const StoredFrame = Type.Object({ type: Type.Literal('stored'), ref: MessageId, duplicate: Type.Boolean() });
/** ICE → recipient: a message to apply and acknowledge. */
export const DeliverFrame = Type.Object({
  type: Type.Literal('deliver'),
  redelivery: Type.Boolean(),
  message: Type.Unknown(),
});
/**
 * ICE → sender, on every open connection of the sending country: the recipient
 * rejected message `ref`. ICE keeps the rejection with the message; a sender not
 * connected at that moment does not get this frame.
 */
export const ReturnedFrame = Type.Object({
  type: Type.Literal('returned'),
  ref: MessageId,
  messageType: Type.String(),
  mrn: Type.String(),
  recipientCountry: CountryCode,
  rejected: Rejected,
});
/** ICE → node: a frame was refused; other traffic on the connection continues. */
export const ErrorFrame = Type.Object({
  type: Type.Literal('error'),
  code: IceErrorCode,
  message: Type.String(),
  errors: Type.Array(Type.Object({ code: IceErrorCode, pointer: Type.String(), message: Type.String() })),
  /** id of the refused message when it could be read, else null */
  ref: Type.Union([MessageId, Type.Null()]),
});

export type SendFrame = Static<typeof SendFrame>;
export type AckFrame = Static<typeof AckFrame>;
export type Rejected = Static<typeof Rejected>;
export type ReturnedFrame = Static<typeof ReturnedFrame>;
export type WelcomeFrame = Static<typeof WelcomeFrame>;
export type StoredFrame = Static<typeof StoredFrame>;
export type DeliverFrame = Static<typeof DeliverFrame>;
export type ErrorFrame = Static<typeof ErrorFrame>;
export type FrameError = ErrorFrame['errors'][number];
