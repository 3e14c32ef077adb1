// One generated transit movement: a CTD for a route of the corridor model as
// its holder lodges it at the office of departure, with the schedule of the
// offices it will pass.
import type { Ctd } from '../reference/spec/ctd.ts';
import { countryByCode } from '../reference/spec/reference-data/countries.ts';
import { commodities, type Commodity } from './corridor/commodities.ts';
import type { Route } from './corridor/routes.ts';
import { drawGoods } from './goods.ts';
import type { Operator } from './parties.ts';
import { holderOf, type Pools } from './parties.ts';
import { WeightedChoice, type Random } from './random.ts';
import {
  containerNumber,
  ferries,
  hasPlateFormat,
  plate,
  sealIdentifier,
  trainNumber,
  wagonNumber,
} from './transport.ts';

export interface ScheduledStop {
  office: string;
  role: 'TRA' | 'PASS' | 'DES';
  /** Hours after lodgement when the movement clears this office. */
  hours: number;
}

const MODE_CODE = { sea: '1', rail: '2', road: '3' } as const;
/** Dwell tail: p95 ≈ 3 × median (corridor.md §4) ⇒ σ = ln 3 / 1.645. */
const DWELL_SIGMA = Math.log(3) / 1.645;

/** Commodity choice per country of dispatch. */
const commodityChoice = new Map<string, WeightedChoice<Commodity>>();
function commoditiesFrom(country: string): WeightedChoice<Commodity> {
  let choice = commodityChoice.get(country);
  if (!choice) {
    const list = commodities.filter((c) => (c.origins[country] ?? 0) > 0);
    if (list.length === 0) throw new Error(`no commodity is dispatched from ${country}`);
    choice = new WeightedChoice(
      list,
      list.map((c) => c.origins[country]!),
    );
    commodityChoice.set(country, choice);
  }
  return choice;
}

/** Invoice currency: mostly US dollars; Chinese sellers sometimes invoice in yuan, Turkish in euro [E]. */
function invoiceCurrency(origin: string, random: Random): string {
  if (origin === 'CN' && random.chance(0.25)) return 'CNY';
  if (origin === 'TR' && random.chance(0.3)) return 'EUR';
  return 'USD';
}

function rateOf(currency: string): number {
  if (currency === 'USD') return 1;
  if (currency === 'EUR') return countryByCode.get('BG')!.unitsPerUsd;
  for (const c of countryByCode.values()) if (c.currency === currency) return c.unitsPerUsd;
  throw new Error(`unknown currency ${currency}`);
}

export interface MovementDraft {
  ctd: Ctd;
  commodity: Commodity;
  schedule: ScheduledStop[];
}

/**
 * A valid CTD for `route` lodged by `holder`, declaring one guarantee of
 * `guaranteeType` in `guaranteeCurrency` with an amount still to be set.
 */
export function draftMovement(
  route: Route,
  holder: Operator,
  lrn: string,
  guaranteeType: '0' | '1' | '2',
  guaranteeCurrency: string,
  pools: Pools,
  random: Random,
): MovementDraft {
  const commodity = commoditiesFrom(route.countryOfDispatch).draw(random);
  const departure = route.stops[0]!.office;
  const depCountry = route.countriesOfRouting[0]!;
  const mode = route.legs[0]!.mode === 'rail' ? 'rail' : 'road';

  // Units of cargo: containers when the route and commodity allow, else wagons or trailers.
  const containerised =
    commodity.container !== undefined &&
    (random.chance(route.containerShare) || (mode === 'road' ? !commodity.trailer : !commodity.wagon));
  let units: number;
  let tonnesPerUnit: readonly [number, number];
  if (containerised) {
    units = mode === 'rail' && random.chance(0.25) ? 2 : 1;
    tonnesPerUnit = commodity.container!.tonnes;
  } else if (mode === 'rail') {
    units = random.between(1, 3);
    tonnesPerUnit = commodity.wagon ?? commodity.trailer ?? [20, 22];
  } else {
    units = 1;
    tonnesPerUnit = commodity.trailer ?? commodity.wagon ?? [20, 22];
  }
  let netKg = 0;
  for (let i = 0; i < units; i++) netKg += random.uniform(tonnesPerUnit[0], tonnesPerUnit[1]) * 1000;

  const currency = invoiceCurrency(route.countryOfDispatch, random);
  const goods = drawGoods(commodity, netKg, route.countryOfDispatch, currency, rateOf(currency), random);

  // Transport means at departure and sealed equipment.
  const transportEquipment: Ctd['consignment']['transportEquipment'] = [];
  const departureTransportMeans: Ctd['consignment']['departureTransportMeans'] = [];
  if (mode === 'rail') {
    for (let i = 0; i < units; i++)
      departureTransportMeans.push({
        typeOfIdentification: '20',
        identificationNumber: wagonNumber(random),
        nationality: depCountry,
      });
  } else {
    const nationality =
      random.chance(0.25) && hasPlateFormat(route.countryOfDispatch) && route.countryOfDispatch !== 'CN'
        ? route.countryOfDispatch
        : depCountry;
    departureTransportMeans.push({
      typeOfIdentification: '30',
      identificationNumber: plate(nationality, random),
      nationality,
    });
  }
  for (let i = 0; i < units; i++) {
    const seals = [{ identifier: sealIdentifier(depCountry, random) }];
    if (random.chance(0.3)) seals.push({ identifier: sealIdentifier(depCountry, random) });
    transportEquipment.push(
      containerised ? { containerIdentificationNumber: containerNumber(random), seals } : { seals },
    );
  }

  // The means crossing each leg: the truck on road legs (also aboard a ro-ro ferry it is the ferry that
  // crosses), a train of the leg's railway on rail legs, the ferry on sea legs.
  const activeBorderTransportMeans: NonNullable<Ctd['consignment']['activeBorderTransportMeans']> = route.legs.map(
    (leg, i) => {
      const from = route.stops[i]!.office.slice(0, 2);
      const customsOfficeAtBorder = route.stops[i + 1]!.office;
      const modeOfTransport = MODE_CODE[leg.mode];
      if (leg.mode === 'sea') {
        const vessel = random.pick(ferries);
        return {
          customsOfficeAtBorder,
          modeOfTransport,
          typeOfIdentification: '11',
          identificationNumber: vessel.name,
          nationality: vessel.flag,
        };
      }
      if (leg.mode === 'rail')
        return {
          customsOfficeAtBorder,
          modeOfTransport,
          typeOfIdentification: '21',
          identificationNumber: trainNumber(random),
          nationality: from,
        };
      const truck = departureTransportMeans.find((m) => m.typeOfIdentification === '30');
      return truck
        ? { customsOfficeAtBorder, modeOfTransport, ...truck }
        : {
            customsOfficeAtBorder,
            modeOfTransport,
            typeOfIdentification: '30',
            identificationNumber: plate(from, random),
            nationality: from,
          };
    },
  );

  const transit: string[] = [];
  let destination = '';
  for (const stop of route.stops) {
    if (stop.role === 'TRA') transit.push(stop.office);
    else if (stop.role === 'DES') destination = stop.office;
  }

  const ctd: Ctd = {
    lrn,
    declarationType: 'T1',
    additionalDeclarationType: random.chance(0.1) ? 'D' : 'A',
    security: route.countryOfDestination === 'RO' || route.countryOfDestination === 'BG' ? 1 : 0,
    offices: { departure, transit, destination },
    holder: holderOf(holder),
    guarantees: [
      {
        type: guaranteeType,
        references: [{ grn: '', accessCode: '', amountToBeCovered: 0, currency: guaranteeCurrency }],
      },
    ],
    consignment: {
      countryOfDispatch: route.countryOfDispatch,
      countryOfDestination: route.countryOfDestination,
      containerIndicator: containerised,
      inlandModeOfTransport: MODE_CODE[route.legs[0]!.mode],
      modeOfTransportAtTheBorder: MODE_CODE[route.legs[0]!.mode],
      grossMass: goods.grossMassKg,
      consignor: pools.trader(route.countryOfDispatch, random),
      consignee: pools.trader(route.countryOfDestination, random),
      countriesOfRouting: [...route.countriesOfRouting],
      departureTransportMeans,
      activeBorderTransportMeans,
      transportEquipment,
      goodsItems: goods.items,
    },
  };

  const schedule: ScheduledStop[] = [];
  let hours = 0;
  route.legs.forEach((leg, i) => {
    hours += random.uniform(leg.hours[0], leg.hours[1]) + random.lognormal(leg.dwellHours, DWELL_SIGMA);
    const stop = route.stops[i + 1]!;
    schedule.push({
      office: stop.office,
      role: stop.role as ScheduledStop['role'],
      hours: Math.round(hours * 10) / 10,
    });
  });
  return { ctd, commodity, schedule };
}
