// The rest of the region as certification plays it: the corridor routes that
// touch the country under test, CTDs drawn for them by the data-set generator,
// and the C2C messages the other countries' nodes would send about them.
import { randomBytes, randomUUID } from 'node:crypto';
import { draftMovement } from '../../generators/movement.ts';
import { Pools, type Operator } from '../../generators/parties.ts';
import { Random } from '../../generators/random.ts';
import { departureOffice, routes, type Route } from '../../generators/corridor/routes.ts';
import { amountDue } from '../../reference/domain/guarantee.ts';
import { mrnFromSequence } from '../../reference/domain/mrn.ts';
import type { Ctd, RecordedCtd } from '../../reference/spec/ctd.ts';
import type { IceMessageType } from '../../reference/spec/ice/catalogue.ts';
import { countryByCode } from '../../reference/spec/reference-data/countries.ts';
import { offices } from '../../reference/spec/reference-data/offices.ts';

export const countryOf = (office: string): string => office.slice(0, 2);
const inExchange = (country: string) => countryByCode.get(country)?.pilot === true;

/** Offices of a route that a movement declares (departure, transit, destination). */
export function declaredOffices(route: Route): { departure: string; transit: string[]; destination: string } {
  return {
    departure: departureOffice(route),
    transit: route.stops.filter((s) => s.role === 'TRA').map((s) => s.office),
    destination: route.stops.find((s) => s.role === 'DES')!.office,
  };
}

/** Routes departing from `country`, with the foreign offices in the exchange they send messages to. */
export function outgoingRoutes(country: string): Route[] {
  return routes.filter((r) => {
    if (countryOf(departureOffice(r)) !== country) return false;
    const o = declaredOffices(r);
    return [...o.transit, o.destination].some(
      (office) => countryOf(office) !== country && inExchange(countryOf(office)),
    );
  });
}

/** Every route departing from `country` (the load it lodges). */
export const departingRoutes = (country: string): Route[] =>
  routes.filter((r) => countryOf(departureOffice(r)) === country);

/** Routes of another country of the exchange on which `country` holds the office of `role`. */
export function incomingRoutes(country: string, role: 'transit' | 'destination'): Route[] {
  return routes.filter((r) => {
    const o = declaredOffices(r);
    const from = countryOf(o.departure);
    if (from === country || !inExchange(from)) return false;
    return role === 'destination'
      ? countryOf(o.destination) === country
      : o.transit.some((t) => countryOf(t) === country);
  });
}

export interface Holder {
  tin: string;
  name: string;
  grn: string;
  accessCode: string;
  currency: string;
}

const pools = new Pools('certify');

/** A valid CTD for `route`, declared by `holder` under `lrn`, covering exactly the amount due. */
export function ctdFor(route: Route, holder: Holder, lrn: string, random: Random): Ctd {
  const country = countryOf(departureOffice(route));
  const operator: Operator = {
    tin: holder.tin,
    name: holder.name,
    country,
    aeo: true,
    token: 'unused-in-a-ctd-0000',
    address: { streetAndNumber: '1 Customs Road', city: 'Capital', country },
    guarantee: 'comprehensive',
    rank: 1,
  };
  const { ctd } = draftMovement(route, operator, lrn, '1', holder.currency, pools, random);
  const ref = ctd.guarantees[0]!.references[0]!;
  ref.grn = holder.grn;
  ref.accessCode = holder.accessCode;
  ref.amountToBeCovered = amountDue(ctd, countryByCode).amount / 100;
  return ctd;
}

/** The CTD as another country sends it in an anticipated record: no access codes. */
export function recorded(ctd: Ctd): RecordedCtd {
  return {
    ...ctd,
    guarantees: ctd.guarantees.map((g) => ({
      ...g,
      references: g.references.map(({ grn, amountToBeCovered, currency }) => ({ grn, amountToBeCovered, currency })),
    })),
  };
}

/** An MRN another country would allocate (random unique part, right check digit). */
export function foreignMrn(country: string, security = 0): string {
  const sequence = randomBytes(8).readBigUInt64BE() % 36n ** 11n;
  return mrnFromSequence({ year: new Date().getUTCFullYear(), country, security, sequence });
}

/** Any office of `country` other than those listed. */
export function anotherOffice(country: string, not: readonly string[]): string | undefined {
  return offices.find((o) => o.country === country && !not.includes(o.referenceNumber))?.referenceNumber;
}

export interface Endpoint {
  country: string;
  office: string;
}

/** A catalogue message in its envelope, with a fresh id. */
export function envelope(
  type: IceMessageType,
  sender: Endpoint,
  recipient: Endpoint,
  mrn: string,
  body: Record<string, unknown>,
): {
  id: string;
  type: IceMessageType;
  sender: Endpoint;
  recipient: Endpoint;
  mrn: string;
  sentAt: string;
  body: Record<string, unknown>;
} {
  return { id: randomUUID(), type, sender, recipient, mrn, sentAt: new Date().toISOString(), body };
}

export { Random };
