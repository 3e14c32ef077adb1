// The TIR movement log of a generated data set: each valid road movement of
// ctds.ndjson as a TIR carnet would have carried it (TIR covers road vehicles,
// also aboard a ro-ro ferry; rail goes under SMGS/CIM), with the times of its
// schedule. Georgian offices appear under their national TIR-list codes (69xxx,
// corridor.md §8), as a carnet records them; the others under their reference
// numbers. Deterministic: the same data set and seed give the same bytes.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { CtdRecord } from './dataset.ts';
import { NdjsonWriter } from './ndjson-writer.ts';
import { Random } from './random.ts';
import type { TirMovement } from './tir-log.ts';
import { FILES } from './write-dataset.ts';

/** ISO 3166 alpha-3 of the countries TIR holders come from (the holder ID's prefix). */
const ALPHA3: Readonly<Record<string, string>> = {
  GE: 'GEO',
  AZ: 'AZE',
  KZ: 'KAZ',
  UZ: 'UZB',
  KG: 'KGZ',
  PK: 'PAK',
  TR: 'TUR',
  CN: 'CHN',
  TM: 'TKM',
  TJ: 'TJK',
  AF: 'AFG',
  RO: 'ROU',
  BG: 'BGR',
};

/** Hours between the goods' arrival and the certificate of termination (unloading, checks) [E]. */
const TERMINATION_HOURS: readonly [number, number] = [0.5, 3];
const HOUR_MS = 3_600_000;

/** The TIR-list code under which a carnet names a Georgian office (GE069002 → 69002). */
export function tirOfficeCode(reference: string): string {
  const georgian = /^GE0(69[0-9]{3})$/.exec(reference);
  return georgian ? georgian[1]! : reference;
}

/** The holder's TIR identification: country, national association, holder number. */
export function tirHolderId(tin: string, seed: string): string {
  const random = new Random(seed, `tir-holder/${tin}`);
  const country = ALPHA3[tin.slice(0, 2)] ?? 'XXX';
  return `${country}/${String(random.between(1, 99)).padStart(3, '0')}/${random.digits(5)}`;
}

function isRoad(record: CtdRecord): boolean {
  return record.ctd.consignment.departureTransportMeans.every((m) => m.typeOfIdentification === '30');
}

/** The movement as TIR carried it, or undefined when TIR would not have (defective CTD, rail). */
export function tirMovementOf(record: CtdRecord, seed: string): TirMovement | undefined {
  if (record.defect || !isRoad(record)) return undefined;
  const { ctd } = record;
  const random = new Random(seed, `tir/${ctd.lrn}`);
  const start = Date.parse(record.at);
  const at = (hours: number) => new Date(start + Math.round(hours * HOUR_MS)).toISOString();
  const countryOf = (office: string) => office.slice(0, 2);

  const crossings: TirMovement['crossings'] = [];
  let current = countryOf(ctd.offices.departure);
  let arrivedHours: number | undefined;
  for (const stop of record.schedule) {
    if (stop.role === 'TRA') {
      const to = countryOf(stop.office);
      crossings.push({ from: current, to, office: tirOfficeCode(stop.office), at: at(stop.hours) });
      current = to;
    } else if (stop.role === 'DES') arrivedHours = stop.hours;
  }
  const arrived = arrivedHours ?? record.schedule.at(-1)?.hours ?? 0;
  const terminated = arrived + random.uniform(TERMINATION_HOURS[0], TERMINATION_HOURS[1]);
  const c = ctd.consignment;
  const holderTin = ctd.holder.identificationNumber!;
  return {
    carnet: `X${random.letters(1)}${random.digits(8)}`,
    holder: { id: tirHolderId(holderTin, seed), tin: holderTin, name: ctd.holder.name },
    departure: {
      country: countryOf(ctd.offices.departure),
      office: tirOfficeCode(ctd.offices.departure),
      at: record.at,
    },
    crossings,
    destination: {
      country: countryOf(ctd.offices.destination),
      office: tirOfficeCode(ctd.offices.destination),
      arrivedAt: at(arrived),
      terminatedAt: at(terminated),
    },
    countriesOfRouting: [...c.countriesOfRouting],
    countryOfDispatch: c.countryOfDispatch,
    countryOfDestination: c.countryOfDestination,
    consignor: { name: c.consignor.name, address: c.consignor.address },
    consignee: { name: c.consignee.name, address: c.consignee.address },
    goods: c.goodsItems.map((g) => ({
      hsCode: g.hsCode,
      description: g.description,
      grossMassKg: g.grossMass,
      netMassKg: g.netMass,
      packages: { type: g.packages[0]!.typeOfPackages, number: g.packages[0]!.numberOfPackages },
      ...(g.countryOfOrigin ? { countryOfOrigin: g.countryOfOrigin } : {}),
      value: { amount: g.value.amount, currency: g.value.currency },
    })),
    vehicles: c.departureTransportMeans.map((m) => ({
      registration: m.identificationNumber,
      nationality: m.nationality,
    })),
    containers: c.transportEquipment.flatMap((e) =>
      e.containerIdentificationNumber ? [e.containerIdentificationNumber] : [],
    ),
    seals: c.transportEquipment.flatMap((e) => e.seals.map((s) => s.identifier)),
  };
}

export interface TirLogSummary {
  file: string;
  /** CTDs of the data set read. */
  ctds: number;
  /** Movements TIR would have carried, written to the log. */
  movements: number;
}

/** Writes the TIR log of the data set in `dataSetDir` to `file`. */
export async function writeTirLog(dataSetDir: string, file: string, seed: string): Promise<TirLogSummary> {
  const writer = new NdjsonWriter(file);
  let ctds = 0;
  const input = createReadStream(path.join(dataSetDir, FILES.ctds));
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    ctds++;
    const movement = tirMovementOf(JSON.parse(line) as CtdRecord, seed);
    if (movement) writer.write(movement);
    await writer.drained();
  }
  const movements = writer.lines;
  await writer.close();
  return { file, ctds, movements };
}
