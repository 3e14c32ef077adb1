// The CATS Transit Declaration (CTD) as lodged by an operator: NCTS IE015's
// data groups in camelCase JSON. This schema validates requests at the node,
// generates the OpenAPI document and types the generators' output.
import { Type, type Static, type TProperties, type TSchema } from '@sinclair/typebox';

/** Every group is closed: a field the spec does not define is a schema violation, not silently stored. */
const Strict = <T extends TProperties>(properties: T) => Type.Object(properties, { additionalProperties: false });

export const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
export const OfficeReference = Type.String({
  pattern: '^[A-Z]{2}[A-Z0-9]{6}$',
  description: 'Customs office reference number: country code + 6 characters',
});
export const Lrn = Type.String({
  pattern: '^[A-Za-z0-9./_-]{1,22}$',
  description: "Operator's local reference number (an..22, no spaces)",
});
export const Grn = Type.String({
  pattern: '^[0-9]{2}[A-Z]{2}[A-Z0-9]{12}[0-9]([A-Z][0-9]{6})?$',
  description: 'Guarantee reference number',
});
export const Tin = Type.String({
  pattern: '^[A-Z]{2}[A-Z0-9]{1,15}$',
  description: 'Trader identification: ISO country code + national TIN',
});
export const HsCode = Type.String({ pattern: '^[0-9]{6}$', description: 'HS 6-digit subheading' });
export const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' });
/** NCTS transport mode codes: 1 sea, 2 rail, 3 road, 4 air, 5 post, 7 fixed installation, 8 inland waterway. */
export const TransportMode = Type.Union(['1', '2', '3', '4', '5', '7', '8'].map((m) => Type.Literal(m)));

export const Address = Strict({
  streetAndNumber: Type.String({ minLength: 1, maxLength: 70 }),
  postcode: Type.Optional(Type.String({ maxLength: 17 })),
  city: Type.String({ minLength: 1, maxLength: 35 }),
  country: CountryCode,
});

export const Party = Strict({
  identificationNumber: Type.Optional(Tin),
  name: Type.String({ minLength: 1, maxLength: 70 }),
  address: Address,
});

export const GuaranteeReference = Strict({
  grn: Grn,
  accessCode: Type.String({ pattern: '^[A-Za-z0-9]{4}$' }),
  amountToBeCovered: Type.Number({ minimum: 0 }),
  currency: CurrencyCode,
});

export const GuaranteeType = Type.Union(
  ['0', '1', '2', '4', '9'].map((t) => Type.Literal(t)),
  {
    description:
      '0 waiver, 1 comprehensive, 2 individual by guarantor, 4 individual vouchers, 9 individual multiple usage',
  },
);

export const DeclaredGuarantee = Strict({
  type: GuaranteeType,
  references: Type.Array(GuaranteeReference, { minItems: 1, maxItems: 99 }),
});

/** A guarantee reference as recorded after lodging: the access code was checked then and is kept nowhere. */
export const RecordedGuaranteeReference = Type.Omit(GuaranteeReference, ['accessCode'], {
  additionalProperties: false,
});

export const RecordedGuarantee = Strict({
  type: GuaranteeType,
  references: Type.Array(RecordedGuaranteeReference, { minItems: 1, maxItems: 99 }),
});

export const Package = Strict({
  typeOfPackages: Type.String({ pattern: '^[A-Z0-9]{2}$', description: 'UN/ECE Rec. 21 package code' }),
  numberOfPackages: Type.Integer({ minimum: 0, maximum: 99999999 }),
  shippingMarks: Type.Optional(Type.String({ maxLength: 512 })),
});

export const GoodsItem = Strict({
  goodsItemNumber: Type.Integer({ minimum: 1, maximum: 1999 }),
  description: Type.String({ minLength: 1, maxLength: 512 }),
  hsCode: HsCode,
  countryOfOrigin: Type.Optional(CountryCode),
  grossMass: Type.Number({ exclusiveMinimum: 0, description: 'kg' }),
  netMass: Type.Number({ exclusiveMinimum: 0, description: 'kg' }),
  packages: Type.Array(Package, { minItems: 1, maxItems: 99 }),
  value: Strict({ amount: Type.Number({ minimum: 0 }), currency: CurrencyCode }),
});

export const TransportMeans = Strict({
  typeOfIdentification: Type.String({
    pattern: '^[0-9]{2}$',
    description: 'e.g. 30 registration number of road vehicle, 20 wagon number',
  }),
  identificationNumber: Type.String({ minLength: 1, maxLength: 35 }),
  nationality: CountryCode,
});

/** The means that crosses each leg of the journey (NCTS ActiveBorderTransportMeans), e.g. train, ferry, train. */
export const ActiveBorderTransportMeans = Strict({
  /** The office at the end of the leg. */
  customsOfficeAtBorder: OfficeReference,
  modeOfTransport: TransportMode,
  typeOfIdentification: Type.String({
    pattern: '^[0-9]{2}$',
    description: 'e.g. 11 name of sea-going vessel, 21 train number, 30 registration number of road vehicle',
  }),
  identificationNumber: Type.String({ minLength: 1, maxLength: 35 }),
  nationality: CountryCode,
});

export const TransportEquipment = Strict({
  containerIdentificationNumber: Type.Optional(
    Type.String({ pattern: '^[A-Z]{3}[UJZR][0-9]{7}$', description: 'ISO 6346 container number with check digit' }),
  ),
  seals: Type.Array(Strict({ identifier: Type.String({ minLength: 1, maxLength: 20 }) }), { maxItems: 99 }),
});

export const Consignment = Strict({
  countryOfDispatch: CountryCode,
  countryOfDestination: CountryCode,
  containerIndicator: Type.Boolean(),
  inlandModeOfTransport: TransportMode,
  modeOfTransportAtTheBorder: TransportMode,
  grossMass: Type.Number({ exclusiveMinimum: 0, description: 'kg, whole consignment' }),
  consignor: Party,
  consignee: Party,
  carrier: Type.Optional(Strict({ identificationNumber: Tin, name: Type.String({ minLength: 1, maxLength: 70 }) })),
  countriesOfRouting: Type.Array(CountryCode, {
    minItems: 1,
    maxItems: 99,
    description: 'Itinerary, in order, departure to destination',
  }),
  departureTransportMeans: Type.Array(TransportMeans, { minItems: 1, maxItems: 999 }),
  activeBorderTransportMeans: Type.Optional(
    Type.Array(ActiveBorderTransportMeans, { maxItems: 9, description: 'One per leg, in itinerary order' }),
  ),
  transportEquipment: Type.Array(TransportEquipment, { maxItems: 9999 }),
  goodsItems: Type.Array(GoodsItem, { minItems: 1, maxItems: 1999 }),
});

const ctdFields = <G extends TSchema>(guarantee: G) => ({
  lrn: Lrn,
  declarationType: Type.Union([Type.Literal('T1'), Type.Literal('T2'), Type.Literal('T2F')]),
  additionalDeclarationType: Type.Union([Type.Literal('A'), Type.Literal('D')], {
    description: 'A standard, D pre-lodged',
  }),
  security: Type.Integer({ minimum: 0, maximum: 3, description: '0 none, 1 ENS, 2 EXS, 3 ENS+EXS' }),
  offices: Strict({
    departure: OfficeReference,
    transit: Type.Array(OfficeReference, { maxItems: 9 }),
    destination: OfficeReference,
  }),
  holder: Strict({
    identificationNumber: Tin,
    name: Type.String({ minLength: 1, maxLength: 70 }),
    address: Address,
  }),
  guarantees: Type.Array(guarantee, { minItems: 1, maxItems: 9 }),
  consignment: Consignment,
});

export const Ctd = Type.Object(ctdFields(DeclaredGuarantee), { $id: 'Ctd', additionalProperties: false });

/**
 * The CTD as recorded once lodged: what declaration views show and what other
 * countries receive in their anticipated records (IE001, IE050). The same as the
 * lodged CTD without guarantee access codes.
 */
export const RecordedCtd = Type.Object(ctdFields(RecordedGuarantee), {
  $id: 'RecordedCtd',
  additionalProperties: false,
});

export type Ctd = Static<typeof Ctd>;
export type RecordedCtd = Static<typeof RecordedCtd>;
export type GoodsItem = Static<typeof GoodsItem>;
export type Party = Static<typeof Party>;
