// One certification run's hold on the node under test: the parties it seeded
// through the admin fixture route, its own ICE, and the movement steps the
// checks build on (lodge and release a CTD of a corridor route, play an
// anticipated record from another country).
import { randomBytes } from 'node:crypto';
import type { Route } from '../../generators/corridor/routes.ts';
import { accessCodeFrom, grnFromSequence } from '../../reference/domain/grn.ts';
import { countryByCode } from '../../reference/spec/reference-data/countries.ts';
import { offices } from '../../reference/spec/reference-data/offices.ts';
import type { Ctd } from '../../reference/spec/ctd.ts';
import { NodeClient, succeeded, type Answer } from './node-client.ts';
import type { Finding } from './outcome.ts';
import { ctdFor, declaredOffices, envelope, foreignMrn, countryOf, Random, recorded, type Holder } from './region.ts';
import type { ScriptedIce } from './scripted-ice.ts';

export interface Party {
  tin: string;
  token: string;
}

export interface Session {
  country: string;
  node: NodeClient;
  ice: ScriptedIce;
  /** Holder of the CTDs the checks lodge, with its comprehensive guarantee. */
  holder: Holder & { token: string };
  /** A second operator of the same country. */
  other: Party;
  /** An officer posted to every office of the country. */
  officer: { token: string; offices: string[] };
  random: Random;
  /** How long to wait for the node to answer over ICE. */
  waitMs: number;
  lrn(tag: string): string;
}

const token = (prefix: string) => `${prefix}-${randomBytes(18).toString('base64url')}`;

/** Seeds the session's parties on the node (POST /v1/admin/fixtures) and returns the session. */
export async function openSession(o: {
  country: string;
  node: NodeClient;
  adminToken: string;
  ice: ScriptedIce;
  waitMs: number;
}): Promise<Session> {
  const run = Date.now().toString(36).toUpperCase();
  const cc = o.country;
  const currency = countryByCode.get(cc)?.currency ?? 'USD';
  const own = offices.filter((x) => x.country === cc).map((x) => x.referenceNumber);
  if (own.length === 0) throw new Error(`no customs office of ${cc} in the reference data`);
  const random = new Random(`certify-${run}`);
  const grn = grnFromSequence({
    year: new Date().getUTCFullYear(),
    country: cc,
    sequence: randomBytes(8).readBigUInt64BE() % 36n ** 11n,
  });
  const holder = {
    tin: `${cc}C${run}`.slice(0, 17),
    name: `${cc} Certification Carrier`,
    grn,
    accessCode: accessCodeFrom(() => random.next()),
    currency,
    token: token('cert-holder'),
  };
  const other = { tin: `${cc}D${run}`.slice(0, 17), token: token('cert-other') };
  const officer = { token: token('cert-officer'), offices: own };
  const fixtures = {
    operators: [
      { tin: holder.tin, name: holder.name, country: cc, aeo: true, token: holder.token },
      { tin: other.tin, name: `${cc} Certification Other`, country: cc, aeo: true, token: other.token },
    ],
    officers: [
      { id: `certify-${run.toLowerCase()}`, name: 'Certification officer', offices: own, token: officer.token },
    ],
    guarantees: [
      {
        grn,
        accessCode: holder.accessCode,
        holderTin: holder.tin,
        type: '1',
        referenceAmount: Math.round(1_000_000_000 * (countryByCode.get(cc)?.unitsPerUsd ?? 1)),
        currency,
        level: 25,
        guarantor: { kind: 'bank', identificationNumber: `${cc}900000001`, name: `${cc} Certification Bank` },
      },
    ],
  };
  const seeded = await o.node.post('/v1/admin/fixtures', fixtures, o.adminToken);
  if (seeded.status !== 200)
    throw new Error(
      `seeding the node through POST /v1/admin/fixtures failed: ${seeded.status} ${JSON.stringify(seeded.body)}`,
    );
  let n = 0;
  return {
    country: cc,
    node: o.node,
    ice: o.ice,
    holder,
    other,
    officer,
    random,
    waitMs: o.waitMs,
    lrn: (tag) => `CERT${run}${tag}${(n++).toString(36)}`.toUpperCase().slice(0, 22),
  };
}

export interface Lodged {
  ctd: Ctd;
  mrn: string;
  answer: Answer;
}

/** Lodges a CTD of `route` under a fresh LRN. */
export async function lodge(
  s: Session,
  route: Route,
  tag: string,
  change?: (ctd: Ctd) => void,
  lrn = s.lrn(tag),
): Promise<Lodged> {
  const ctd = ctdFor(route, s.holder, lrn, s.random);
  change?.(ctd);
  const answer = await s.node.post('/v1/declarations', ctd, s.holder.token);
  return { ctd, mrn: answer.body?.mrn, answer };
}

/** Takes a lodged CTD to RELEASED: presentation by the holder, release by the officer when under control. */
export async function release(s: Session, mrn: string, f?: Finding): Promise<string | undefined> {
  let view = await s.node.get(`/v1/declarations/${mrn}`, s.holder.token);
  let state: string | undefined = view.body?.state;
  if (state === 'ACCEPTED') {
    const presented = await s.node.post(`/v1/declarations/${mrn}/presentation`, {}, s.holder.token);
    f?.see(presented);
    state = presented.body?.state;
  }
  if (state === 'UNDER_CONTROL') {
    const released = await s.node.post(`/v1/declarations/${mrn}/release`, {}, s.officer.token);
    f?.see(released);
    state = released.body?.state;
  }
  if (state !== 'RELEASED') {
    view = await s.node.get(`/v1/declarations/${mrn}`, s.holder.token);
    state = view.body?.state;
  }
  return state;
}

/** Lodges and releases a CTD of `route`; the MRN when it got to RELEASED. */
export async function lodgeAndRelease(
  s: Session,
  route: Route,
  tag: string,
  f: Finding,
  lrn?: string,
): Promise<Lodged | undefined> {
  const lodged = await lodge(s, route, tag, undefined, lrn);
  f.see(lodged.answer);
  if (!f.expect(succeeded(lodged.answer) && typeof lodged.mrn === 'string', `lodging answered ${lodged.answer.status}`))
    return undefined;
  const state = await release(s, lodged.mrn, f);
  if (!f.expect(state === 'RELEASED', `the CTD ${lodged.mrn} did not reach RELEASED (state ${state})`))
    return undefined;
  return lodged;
}

/** A movement another country released that names this country's office of `role`: its IE001 or IE050. */
export function anticipatedRecord(s: Session, route: Route, role: 'destination' | 'transit') {
  const o = declaredOffices(route);
  const from = countryOf(o.departure);
  const ctd = ctdFor(
    route,
    {
      tin: `${from}F${Date.now().toString(36).toUpperCase()}`.slice(0, 17),
      name: `${from} Carrier`,
      grn: grnFromSequence({ year: new Date().getUTCFullYear(), country: from, sequence: 7n }),
      accessCode: 'AB12',
      currency: countryByCode.get(from)?.currency ?? 'USD',
    },
    s.lrn('F'),
    s.random,
  );
  const mrn = foreignMrn(from, ctd.security);
  const office = role === 'destination' ? o.destination : o.transit.find((t) => countryOf(t) === s.country)!;
  const now = new Date().toISOString();
  const body = {
    declaration: recorded(ctd),
    acceptedAt: now,
    releasedAt: now,
    officeOfDeparture: o.departure,
    ...(role === 'destination' ? { officeOfDestination: office } : { officeOfTransit: office }),
  };
  const message = envelope(
    role === 'destination' ? 'IE001' : 'IE050',
    { country: from, office: o.departure },
    { country: s.country, office },
    mrn,
    body,
  );
  return { message, mrn, ctd, office, departure: { country: from, office: o.departure } };
}
