// The TIR movement log: one line per TIR transport (one carnet), as customs and
// the guarantee chain recorded it. NDJSON, one `TirMovement` a line; the format
// is documented in generators/README.md ("TIR movement log"). A team with real
// carnet data writes its own file in this format; `generators/tir-movements.ts`
// writes one for a generated data set.
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { readFile } from 'node:fs/promises';
import { Address, CountryCode, CurrencyCode, HsCode, Tin } from '../reference/spec/ctd.ts';

export const TIR_LOG_VERSION = 'tir-log-v1';

const Strict = <T extends Parameters<typeof Type.Object>[0]>(properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });

const Timestamp = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$',
  description: 'ISO 8601 date and time with its offset (Z for UTC)',
});
/** A customs office as the log names it: a CATS reference number or a national (TIR list) code. */
const OfficeCode = Type.String({ pattern: '^[A-Z0-9]{1,8}$', description: 'CATS reference number or national code' });

export const TirParty = Strict({ name: Type.String({ minLength: 1, maxLength: 70 }), address: Address });

export const TirGoods = Strict({
  hsCode: HsCode,
  description: Type.String({ minLength: 1, maxLength: 512 }),
  grossMassKg: Type.Number({ exclusiveMinimum: 0 }),
  netMassKg: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  packages: Type.Optional(
    Strict({
      type: Type.String({ pattern: '^[A-Z0-9]{2}$' }),
      number: Type.Integer({ minimum: 0 }),
    }),
  ),
  countryOfOrigin: Type.Optional(CountryCode),
  /** The carnet's goods manifest states no value: it comes from the invoice, when the log has it. */
  value: Type.Optional(Strict({ amount: Type.Number({ minimum: 0 }), currency: CurrencyCode })),
});

export const TirCrossing = Strict(
  {
    from: CountryCode,
    to: CountryCode,
    /** Office of entry into `to`, where known. */
    office: Type.Optional(OfficeCode),
    at: Timestamp,
  },
  'A border crossing: the carnet voucher of `from` terminated at exit and that of `to` started at entry',
);

export const TirMovement = Strict({
  carnet: Type.String({ pattern: '^[A-Z]{2}[0-9]{8}$', description: 'TIR carnet reference number' }),
  holder: Strict({
    /** TIR holder identification (country / association / number). */
    id: Type.String({ pattern: '^[A-Z]{3}/[0-9]{3}/[0-9A-Z]{1,10}$' }),
    tin: Type.Optional(Tin),
    name: Type.String({ minLength: 1, maxLength: 70 }),
  }),
  departure: Strict({ country: CountryCode, office: Type.Optional(OfficeCode), at: Timestamp }),
  crossings: Type.Array(TirCrossing, { maxItems: 20 }),
  destination: Strict({
    country: CountryCode,
    office: Type.Optional(OfficeCode),
    /** Goods presented at destination; absent while the movement is on its way. */
    arrivedAt: Type.Optional(Timestamp),
    /** TIR operation terminated (certificate of termination); absent until then. */
    terminatedAt: Type.Optional(Timestamp),
  }),
  /** Termination confirmed to the guarantee chain, which frees the carnet's guarantee; defaults to terminatedAt. */
  dischargedAt: Type.Optional(Timestamp),
  /** Countries of the itinerary in order, departure to destination (default: departure, crossings, destination). */
  countriesOfRouting: Type.Optional(Type.Array(CountryCode, { minItems: 1, maxItems: 20 })),
  countryOfDispatch: Type.Optional(CountryCode),
  countryOfDestination: Type.Optional(CountryCode),
  consignor: TirParty,
  consignee: TirParty,
  goods: Type.Array(TirGoods, { minItems: 1, maxItems: 999 }),
  vehicles: Type.Array(
    Strict({ registration: Type.String({ minLength: 1, maxLength: 35 }), nationality: CountryCode }),
    {
      minItems: 1,
      maxItems: 9,
    },
  ),
  containers: Type.Array(Type.String({ minLength: 1, maxLength: 17 }), { maxItems: 99 }),
  seals: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 99 }),
});

export type TirMovement = Static<typeof TirMovement>;
export type TirGoods = Static<typeof TirGoods>;
export type TirCrossing = Static<typeof TirCrossing>;

const check = TypeCompiler.Compile(TirMovement);

/** A problem with one line of the log: where in the record, and what. */
export interface TirLineError {
  code: string;
  pointer: string;
  message: string;
}

export type TirLine =
  | { line: number; ok: true; movement: TirMovement }
  | { line: number; ok: false; carnet?: string; errors: TirLineError[] };

/** Checks one parsed line against the format; the errors carry JSON pointers into the record. */
export function checkTirMovement(value: unknown): TirLineError[] {
  if (check.Check(value)) {
    const m = value;
    const errors: TirLineError[] = [];
    const times: [string, string | undefined][] = [
      ['/departure/at', m.departure.at],
      ...m.crossings.map((c, i): [string, string] => [`/crossings/${i}/at`, c.at]),
      ['/destination/arrivedAt', m.destination.arrivedAt],
      ['/destination/terminatedAt', m.destination.terminatedAt],
      ['/dischargedAt', m.dischargedAt],
    ];
    let last = -Infinity;
    for (const [pointer, at] of times) {
      if (at === undefined) continue;
      const t = Date.parse(at);
      if (Number.isNaN(t)) errors.push({ code: 'INVALID_TIMESTAMP', pointer, message: `'${at}' is not a timestamp` });
      else if (t < last)
        errors.push({ code: 'TIMESTAMPS_OUT_OF_ORDER', pointer, message: `${at} is earlier than the step before it` });
      else last = t;
    }
    return errors;
  }
  return [...check.Errors(value)].slice(0, 10).map((e) => ({
    code: 'INVALID_RECORD',
    pointer: e.path || '/',
    message: e.message,
  }));
}

/** Parses the log's text: every line either a movement or the reasons it is not one. */
export function parseTirLog(text: string): TirLine[] {
  const out: TirLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      out.push({ line, ok: false, errors: [{ code: 'INVALID_JSON', pointer: '/', message: (err as Error).message }] });
      return;
    }
    const errors = checkTirMovement(value);
    if (errors.length === 0) out.push({ line, ok: true, movement: value as TirMovement });
    else {
      const carnet = (value as { carnet?: unknown } | null)?.carnet;
      out.push({ line, ok: false, ...(typeof carnet === 'string' ? { carnet } : {}), errors });
    }
  });
  return out;
}

export async function readTirLog(file: string): Promise<TirLine[]> {
  return parseTirLog(await readFile(file, 'utf8'));
}
