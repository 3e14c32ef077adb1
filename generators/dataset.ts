// A generated data set: parties, officers and guarantees for the pilot
// countries in scope, and a time-ordered stream of transit movements (CTD,
// replay time, schedule, optional labelled defect). Everything derives from
// the seed; the stream holds no state that grows with the number of
// movements beyond a few counters, the open guarantee per operator and the
// last valid LRN per operator.
import { amountDue } from '../reference/domain/guarantee.ts';
import type { Ctd } from '../reference/spec/ctd.ts';
import { countryByCode } from '../reference/spec/reference-data/countries.ts';
import { OPERATOR_DENSITY } from './corridor/operators.ts';
import { routes as allRoutes, type Route } from './corridor/routes.ts';
import { applicable, applyEarly, applyLate, defectKinds, type Defect, type DefectKind } from './defects.ts';
import { GuaranteeBook, type GuaranteeRecord } from './guarantees.ts';
import { draftMovement, type ScheduledStop } from './movement.ts';
import { drawPath, type MovementPath } from './movement-path.ts';
import {
  CountryOperators,
  guarantorsOf,
  officersOf,
  Pools,
  type Guarantor,
  type Officer,
  type Operator,
} from './parties.ts';
import { hashString } from '../reference/domain/hash.ts';
import { Random } from './random.ts';
import {
  PILOT_TRIAL,
  plan,
  profileAnnualTotal,
  profileRoutes,
  TrafficModel,
  type PeakHour,
  type Profile,
  type ProfileName,
} from './traffic.ts';

export const PILOT_COUNTRIES = ['GE', 'AZ', 'KZ', 'UZ', 'KG', 'PK'] as const;

export interface DatasetOptions {
  seed: string;
  movements: number;
  profile: ProfileName;
  /** Share of CTDs carrying one labelled defect, 0-1. */
  defects: number;
  /** Pilot countries whose offices of departure lodge the CTDs. */
  countries: readonly string[];
  /** Calendar year of the profile (volumes projected from the base year). */
  year: number;
  /** Defect kinds to draw from (default: all). */
  defectKinds?: readonly DefectKind[];
}

export interface CtdRecord {
  seq: number;
  /** Replay time of the lodgement, ISO UTC. */
  at: string;
  /** Country of the node that receives the CTD. */
  country: string;
  route: string;
  commodity: string;
  holderTin: string;
  /** Bearer token of the holder (also in operators.ndjson). */
  token: string;
  defect: Defect | null;
  /** The path the movement takes once released; null for a defective CTD (refused at lodging). */
  path: MovementPath | null;
  schedule: ScheduledStop[];
  ctd: Ctd;
}

export interface PlanRecord {
  seq: number;
  at: string;
  offsetMs: number;
  country: string;
  route: string;
  lrn: string;
}

export interface Movement {
  record: CtdRecord;
  plan: PlanRecord;
  /** Guarantees this movement created or closed (individual ones, full comprehensive ones). */
  guarantees: GuaranteeRecord[];
}

/** Routes lodged in the given pilot countries that the profile runs. */
function routesOf(countries: readonly string[], profile: ProfileName): Route[] {
  const set = new Set(countries);
  return profileRoutes(
    profile,
    allRoutes.filter((r) => set.has(r.countriesOfRouting[0]!)),
  );
}

/** The traffic model of a profile over the given countries' routes. */
function modelOf(o: Pick<DatasetOptions, 'profile' | 'countries' | 'year'>): TrafficModel {
  return new TrafficModel(routesOf(o.countries, o.profile), o.year, profileAnnualTotal(o.profile, o.countries));
}

/**
 * CTDs a profile's span carries at `scale` × the projected traffic of the
 * countries' routes: the N for "this day at ten times today's volume".
 */
export function movementsAtScale(scale: number, o: Pick<DatasetOptions, 'profile' | 'countries' | 'year'>): number {
  if (!(scale >= 0) || !Number.isFinite(scale))
    throw new RangeError(`scale must be a non-negative number, got ${scale}`);
  const model = modelOf(o);
  const profile = model.profile(o.profile);
  return Math.round(scale * model.span(profile.start.getTime(), profile.days * 24).expected);
}

function validateOptions(o: DatasetOptions): void {
  if (!Number.isSafeInteger(o.movements) || o.movements < 0)
    throw new RangeError(`movements must be a non-negative integer, got ${o.movements}`);
  if (!(o.defects >= 0 && o.defects <= 1))
    throw new RangeError(`defects must be a share between 0 and 1, got ${o.defects}`);
  if (o.seed.length === 0) throw new RangeError('seed must not be empty');
  if (o.countries.length === 0) throw new RangeError('at least one country is needed');
  for (const c of o.countries) {
    if (!(PILOT_COUNTRIES as readonly string[]).includes(c))
      throw new RangeError(`${c} is not a pilot country (${PILOT_COUNTRIES.join(', ')})`);
  }
  for (const k of o.defectKinds ?? [])
    if (!(defectKinds as readonly string[]).includes(k)) throw new RangeError(`unknown defect kind ${k}`);
}

export class Dataset {
  readonly routes: readonly Route[];
  readonly model: TrafficModel;
  readonly profile: Profile;
  /** Expected CTDs over the profile's span at the projected volumes (scale 1). */
  readonly expected: number;
  readonly spanPeak: PeakHour;
  /** Expected CTDs per route (index of `routes`) over the span. */
  readonly expectedByRoute: readonly number[];
  readonly operators: readonly Operator[];
  readonly officers: readonly Officer[];
  readonly lrnPrefix: string;
  private readonly pools: Pools;
  private readonly countryOperators = new Map<string, CountryOperators>();
  private readonly guarantors = new Map<string, Guarantor[]>();
  private readonly book: GuaranteeBook;

  constructor(readonly options: DatasetOptions) {
    validateOptions(options);
    this.model = modelOf(options);
    this.routes = this.model.routes;
    this.profile = this.model.profile(options.profile);
    const span = this.model.span(this.profile.start.getTime(), this.profile.days * 24);
    this.expected = span.expected;
    this.spanPeak = span.peak;
    this.pools = new Pools(options.seed);
    this.lrnPrefix = hashString(`${options.seed}/lrn`).toString(36).toUpperCase().padStart(7, '0').slice(-4);

    // Operators sized to each country's expected share of the N movements.
    const parties = new Random(options.seed, 'parties');
    const shareByCountry = new Map<string, number>();
    span.byRoute.forEach((e, i) => {
      const c = this.routes[i]!.countriesOfRouting[0]!;
      shareByCountry.set(c, (shareByCountry.get(c) ?? 0) + e / span.expected);
    });
    this.expectedByRoute = span.byRoute;
    const operators: Operator[] = [];
    const officers: Officer[] = [];
    for (const c of options.countries) {
      const pool = this.pools.get(c);
      const expectedCtds = (shareByCountry.get(c) ?? 0) * options.movements;
      const count =
        options.profile === 'pilot-trial'
          ? PILOT_TRIAL.carriersPerCountry
          : Math.min(
              OPERATOR_DENSITY.max,
              Math.max(OPERATOR_DENSITY.min, Math.ceil(expectedCtds / OPERATOR_DENSITY.ctdsPerOperator)),
            );
      const ops = new CountryOperators(c, count, pool, parties);
      this.countryOperators.set(c, ops);
      operators.push(...ops.operators);
      officers.push(...officersOf(c, pool, parties));
      this.guarantors.set(c, guarantorsOf(pool, parties));
    }
    this.operators = operators;
    this.officers = officers;
    const sequenceBase = BigInt(hashString(`${options.seed}/grn`) % (1 << 20)) << 41n;
    this.book = new GuaranteeBook(options.year, sequenceBase, new Random(options.seed, 'guarantees'));
  }

  /** Replay time scale: N movements over the span versus the projected traffic of the span. */
  get scale(): number {
    return this.expected > 0 ? this.options.movements / this.expected : 0;
  }

  private streamed = false;

  /** The movements, in replay order. One pass per data set: the guarantees fill as it runs. */
  *movements(): Generator<Movement> {
    if (this.streamed)
      throw new Error('a data set streams its movements once; create another Dataset for a second pass');
    this.streamed = true;
    const { seed, movements: n, defects: share } = this.options;
    const kinds = this.options.defectKinds ?? defectKinds;
    const draws = new Random(seed, 'movements');
    const defectDraws = new Random(seed, 'defects');
    const pathDraws = new Random(seed, 'paths');
    const lastValidLrn = new Map<string, string>();
    const startMs = this.profile.start.getTime();
    // Systematic sampling: floor(n · share + u) defective CTDs, evenly spread.
    const defectOffset = defectDraws.next();
    let pendingDefects = 0;
    let defectTurn = 0;
    let seq = 0;
    for (const p of plan(this.model, this.profile, n, new Random(seed, 'plan'))) {
      const route = this.routes[p.routeIndex]!;
      const country = route.countriesOfRouting[0]!;
      const operator = this.countryOperators.get(country)!.draw(draws);
      const guarantor = draws.pick(this.guarantors.get(country)!);
      const lrn = `${this.lrnPrefix}${country}${seq.toString(36).toUpperCase().padStart(8, '0')}`;
      const type = ({ comprehensive: '1', individual: '2', waiver: '0' } as const)[operator.guarantee];
      const currency = this.book.currencyOf(country);
      const draft = draftMovement(route, operator, lrn, type, currency, this.pools, draws);
      const ctd = draft.ctd;

      if (Math.floor((seq + 1) * share + defectOffset) > Math.floor(seq * share + defectOffset)) pendingDefects++;
      const earlier = lastValidLrn.get(operator.tin);
      let kind: DefectKind | undefined;
      let defect: Defect | undefined;
      if (pendingDefects > 0) {
        // Kinds take turns so every kind shows up in even a small set; one that does not fit this CTD
        // (no container, no earlier LRN) gives way to a fitting one, or the defect moves to the next CTD.
        const turn = kinds[defectTurn % kinds.length]!;
        const possible = applicable(turn, ctd, earlier) ? [turn] : kinds.filter((k) => applicable(k, ctd, earlier));
        if (possible.length > 0) {
          pendingDefects--;
          defectTurn++;
          kind = defectDraws.pick(possible);
          defect = applyEarly(kind, ctd, defectDraws);
        }
      }
      const defective = kind !== undefined;

      const due = amountDue(ctd, countryByCode);
      const ref = ctd.guarantees[0]!.references[0]!;
      ref.amountToBeCovered = due.amount / 100;
      const guarantees: GuaranteeRecord[] = [];
      if (type === '0') {
        const g = this.book.waiver(operator, guarantor);
        ref.grn = g.grn;
        ref.accessCode = g.accessCode;
      } else if (type === '1') {
        const g = this.book.comprehensive(operator, guarantor);
        ref.grn = g.grn;
        ref.accessCode = g.accessCode;
        if (!defective) {
          const closed = this.book.book(operator, due.amount);
          if (closed) guarantees.push(closed);
        }
      } else {
        const g = this.book.individual(operator, guarantor, due.amount);
        ref.grn = g.grn;
        ref.accessCode = g.accessCode;
        guarantees.push(g);
      }
      if (kind && !defect) defect = applyLate(kind, ctd, defectDraws, earlier, () => this.book.unissuedGrn(country));
      if (!defective) lastValidLrn.set(operator.tin, lrn);

      // Drawn for every CTD, so a movement's path does not depend on the defect share.
      const path = drawPath(route, pathDraws);
      const at = new Date(startMs + p.offsetMs).toISOString();
      seq++;
      yield {
        record: {
          seq,
          at,
          country,
          route: route.id,
          commodity: draft.commodity.id,
          holderTin: operator.tin,
          token: operator.token,
          defect: defect ?? null,
          path: defective ? null : path,
          schedule: draft.schedule,
          ctd,
        },
        plan: { seq, at, offsetMs: p.offsetMs, country, route: route.id, lrn: ctd.lrn },
        guarantees,
      };
    }
  }

  /** The comprehensive guarantees still open after the stream, sized to what they back. */
  closeGuarantees(): GuaranteeRecord[] {
    return this.book.closeAll();
  }

  /** Projected busiest hour of the year for the routes in scope (scale 1). */
  yearPeak(): PeakHour {
    return this.model.yearPeak();
  }
}
