// The envelope every ICE message carries (the role of NCTS's common MESSAGE
// header group: sender, recipient, preparation time, identification, type,
// correlation), with the movement's MRN and a typed body.
import { Type, type TLiteral, type TObject, type TSchema, type TOptional, type TString } from '@sinclair/typebox';
import { CountryCode, OfficeReference } from '../ctd.ts';
import { Mrn } from '../movements.ts';

export const MessageId = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'UUID in lower case, unique per message; receivers deduplicate by it',
});

export const Timestamp = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$',
  description: 'ISO 8601 date and time with offset',
});

export const Endpoint = Type.Object(
  { country: CountryCode, office: OfficeReference },
  { additionalProperties: false, description: 'A customs office and the country whose node speaks for it' },
);

export type Envelope<T extends string, B extends TSchema> = TObject<{
  id: TString;
  type: TLiteral<T>;
  sender: typeof Endpoint;
  recipient: typeof Endpoint;
  mrn: TString;
  sentAt: TString;
  correlationId: TOptional<TString>;
  body: B;
}>;

/** One message of the catalogue: the common envelope around its own body. */
export function iceMessage<T extends string, B extends TSchema>(
  type: T,
  title: string,
  description: string,
  body: B,
): Envelope<T, B> {
  return Type.Object(
    {
      id: MessageId,
      type: Type.Literal(type),
      sender: Endpoint,
      recipient: Endpoint,
      mrn: Mrn,
      sentAt: Timestamp,
      correlationId: Type.Optional({ ...MessageId, description: 'id of the message this one answers' }),
      body,
    },
    { $id: type, title, description, additionalProperties: false },
  );
}
