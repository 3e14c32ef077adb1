// TIR against CATS, movement by movement and in aggregate, all in business
// (TIR-log) time: guarantee money tied up, when each country's customs learned
// of the movement (TIR: when the truck reached its border; CATS: when its node
// received the anticipated record after release), the steps and time to
// discharge, the records CATS refused or could not map, and adherence (each
// mirrored movement reached the state its TIR record implies).
import { officeByReference } from '../../reference/spec/reference-data/offices.ts';
import type { MovementState } from '../../reference/spec/movement-state.ts';
import { amountDays, capitalTiedUp, catsReservation, coverPerYear, tirGuarantee, usd } from './guarantee-money.ts';
import type { Mirrored } from './mirror.ts';
import type { MirroredLog } from './mirror-log.ts';
import type { Observed } from './replay.ts';

const HOUR_MS = 3_600_000;
const hours = (ms: number) => ms / HOUR_MS;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export interface Notice {
  office: string;
  country: string;
  role: 'transit' | 'destination';
  /** Hours before the truck reached the office that its customs knew of the movement (TIR: 0). */
  catsHours?: number;
}

export interface MovementComparison {
  carnet: string;
  holderTin: string;
  mrn?: string;
  departure: string;
  destination: string;
  outcome: Observed['outcome'];
  impliedState: MovementState;
  finalState?: MovementState;
  adherent: boolean;
  tir: {
    guarantee: { amount: number; currency: string; usd: number };
    heldHours: number;
    usdDays: number;
    steps: number;
    hoursToDischarge?: number;
  };
  cats: {
    level: number;
    controlled: boolean;
    /** The amount due at the level, minor units of the guarantee's currency. */
    expectedReservation: number;
    reserved?: { amount: number; currency: string; usd: number };
    heldHours?: number;
    usdDays?: number;
    steps: number;
    hoursToDischarge?: number;
    notices: Notice[];
  };
}

export interface BorderNotice {
  office: string;
  name: string;
  country: string;
  role: 'transit' | 'destination';
  movements: number;
  /** CATS advance notice, hours: mean and least; TIR's is 0 (at the border). */
  meanHours: number;
  minHours: number;
}

export interface Refusal {
  carnet?: string;
  line?: number;
  stage: 'mapping' | 'replay';
  code: string;
  pointer?: string;
  message: string;
}

export interface Comparison {
  movements: {
    inLog: number;
    mapped: number;
    mirrored: number;
    refused: number;
    notServed: number;
    unmappable: number;
  };
  guarantee: {
    /** Over the movements mirrored through to the end of the replay, US dollars. */
    tir: { totalUsd: number; usdDays: number };
    cats: { totalUsd: number; usdDays: number };
    /** Share of TIR's money·time that CATS no longer ties up. */
    freedShare: number;
  };
  projection: {
    movementsPerYear: number;
    source: string;
    tir: { capitalUsd: number; coverPerYearUsd: number };
    cats: { capitalUsd: number; coverPerYearUsd: number };
    /** Guarantee capital no longer tied up at the projected volume. */
    freedCapitalUsd: number;
    freedCoverPerYearUsd: number;
  };
  notices: BorderNotice[];
  steps: { tirMean: number; catsMean: number };
  discharge: { tirMeanHours: number; catsMeanHours: number };
  refusals: Refusal[];
  reasons: { code: string; count: number }[];
  adherence: {
    mirrored: number;
    adherent: number;
    share: number;
    failures: { carnet: string; implied: MovementState; reached?: MovementState; problems: string[] }[];
  };
  perMovement: MovementComparison[];
}

/** TIR customs acts on a carnet: acceptance at departure, exit and entry at each border, termination at destination. */
export function tirSteps(crossings: number): number {
  return 2 + 2 * crossings;
}

function compareOne(m: Mirrored, o: Observed, end: number): MovementComparison {
  const tirAmount = tirGuarantee(m.due.amount);
  const tirUsd = usd(tirAmount, m.due.currency);
  const tirUntil = m.tir.dischargedAt ?? end;
  const crossingOrArrival = new Map(
    m.steps.filter((s) => s.kind === 'crossing' || s.kind === 'arrival').map((s) => [s.office, s.at]),
  );
  const reserved = o.reservation
    ? { ...o.reservation, usd: usd(o.reservation.amount, o.reservation.currency) }
    : undefined;
  const catsUntil = o.writtenOffAt ?? (o.releasedAt !== undefined ? Math.max(end, o.releasedAt) : undefined);
  const mirrored = o.outcome === 'mirrored';
  // CATS must have reserved exactly the amount due at the holder's level.
  const expected = catsReservation(m.due.amount, m.level);
  const reservedRight = o.reservation?.amount === expected && o.reservation.currency === m.due.currency;
  return {
    carnet: m.carnet,
    holderTin: m.holderTin,
    ...(o.mrn ? { mrn: o.mrn } : {}),
    departure: m.ctd.offices.departure,
    destination: m.ctd.offices.destination,
    outcome: o.outcome,
    impliedState: m.impliedState,
    ...(o.finalState ? { finalState: o.finalState } : {}),
    adherent: mirrored && o.finalState === m.impliedState && o.problems.length === 0 && reservedRight,
    tir: {
      guarantee: { amount: tirAmount, currency: m.due.currency, usd: round(tirUsd) },
      heldHours: round(hours(tirUntil - m.tir.acceptedAt)),
      usdDays: round(amountDays(tirUsd, m.tir.acceptedAt, tirUntil)),
      steps: tirSteps(m.tir.crossings),
      ...(m.tir.dischargedAt !== undefined
        ? { hoursToDischarge: round(hours(m.tir.dischargedAt - m.tir.acceptedAt)) }
        : {}),
    },
    cats: {
      level: m.level,
      controlled: o.controlled,
      expectedReservation: expected,
      ...(reserved ? { reserved: { ...reserved, usd: round(reserved.usd) } } : {}),
      ...(reserved && o.releasedAt !== undefined && catsUntil !== undefined
        ? {
            heldHours: round(hours(catsUntil - o.releasedAt)),
            usdDays: round(amountDays(reserved.usd, o.releasedAt, catsUntil)),
          }
        : {}),
      steps: o.steps.filter((s) => s.status >= 200 && s.status < 300).length,
      ...(o.writtenOffAt !== undefined && o.lodgedAt !== undefined
        ? { hoursToDischarge: round(hours(o.writtenOffAt - m.tir.acceptedAt)) }
        : {}),
      notices: o.notices.map((n) => {
        const at = crossingOrArrival.get(n.office);
        return {
          office: n.office,
          country: n.country,
          role: n.role,
          ...(n.noticedAt !== undefined && at !== undefined ? { catsHours: round(hours(at - n.noticedAt)) } : {}),
        };
      }),
    },
  };
}

export interface ComparisonContext {
  /** Business time the comparison closes at: guarantees still held count until then. */
  end: number;
  /** TIR movements a year on the corridor at its projected volume, and where the figure comes from. */
  movementsPerYear: number;
  volumeSource: string;
}

export function compare(log: MirroredLog, observed: readonly Observed[], context: ComparisonContext): Comparison {
  if (observed.length !== log.mirrored.length) throw new Error('one observation per mirrored movement is needed');
  const perMovement = log.mirrored.map((m, i) => compareOne(m, observed[i]!, context.end));
  const mirrored = perMovement.filter((c) => c.outcome === 'mirrored');
  const refusals: Refusal[] = [
    ...log.unmappable.flatMap((u) =>
      u.reasons.map((r) => ({
        ...(u.carnet ? { carnet: u.carnet } : {}),
        line: u.line,
        stage: 'mapping' as const,
        code: r.code,
        pointer: r.pointer,
        message: r.message,
      })),
    ),
    ...observed.flatMap((o) =>
      o.refusal
        ? [{ carnet: o.carnet, stage: 'replay' as const, code: o.refusal.code, message: refusalMessage(o.refusal) }]
        : [],
    ),
  ];
  const reasonCount = new Map<string, number>();
  for (const r of refusals) reasonCount.set(r.code, (reasonCount.get(r.code) ?? 0) + 1);

  // Money over the movements mirrored with a reservation: the same movements on both sides.
  const both = mirrored.filter((c) => c.cats.usdDays !== undefined && c.cats.reserved);
  const tirUsdDays = both.reduce((s, c) => s + c.tir.usdDays, 0);
  const catsUsdDays = both.reduce((s, c) => s + c.cats.usdDays!, 0);
  const perYear = context.movementsPerYear;
  const tirCapital = capitalTiedUp(mean(both.map((c) => c.tir.usdDays)), perYear);
  const catsCapital = capitalTiedUp(mean(both.map((c) => c.cats.usdDays!)), perYear);
  const tirCover = coverPerYear(mean(both.map((c) => c.tir.guarantee.usd)), perYear);
  const catsCover = coverPerYear(mean(both.map((c) => c.cats.reserved!.usd)), perYear);

  const byOffice = new Map<string, { notice: Notice; hours: number[] }>();
  for (const c of mirrored)
    for (const n of c.cats.notices) {
      if (n.catsHours === undefined) continue;
      const e = byOffice.get(n.office) ?? { notice: n, hours: [] };
      e.hours.push(n.catsHours);
      byOffice.set(n.office, e);
    }
  const notices: BorderNotice[] = [...byOffice.values()]
    .map(({ notice, hours: h }) => ({
      office: notice.office,
      name: officeByReference.get(notice.office)?.name ?? notice.office,
      country: notice.country,
      role: notice.role,
      movements: h.length,
      meanHours: round(mean(h), 1),
      minHours: round(Math.min(...h), 1),
    }))
    .sort((a, b) => a.country.localeCompare(b.country) || a.office.localeCompare(b.office));

  const discharged = mirrored.filter(
    (c) => c.tir.hoursToDischarge !== undefined && c.cats.hoursToDischarge !== undefined,
  );
  const adherent = mirrored.filter((c) => c.adherent).length;
  return {
    movements: {
      inLog: log.mirrored.length + log.unmappable.length,
      mapped: log.mirrored.length,
      mirrored: mirrored.length,
      refused: perMovement.filter((c) => c.outcome === 'refused').length,
      notServed: perMovement.filter((c) => c.outcome === 'not-served').length,
      unmappable: log.unmappable.length,
    },
    guarantee: {
      tir: { totalUsd: round(both.reduce((s, c) => s + c.tir.guarantee.usd, 0)), usdDays: round(tirUsdDays) },
      cats: { totalUsd: round(both.reduce((s, c) => s + c.cats.reserved!.usd, 0)), usdDays: round(catsUsdDays) },
      freedShare: tirUsdDays > 0 ? round(1 - catsUsdDays / tirUsdDays, 4) : 0,
    },
    projection: {
      movementsPerYear: Math.round(perYear),
      source: context.volumeSource,
      tir: { capitalUsd: Math.round(tirCapital), coverPerYearUsd: Math.round(tirCover) },
      cats: { capitalUsd: Math.round(catsCapital), coverPerYearUsd: Math.round(catsCover) },
      freedCapitalUsd: Math.round(tirCapital - catsCapital),
      freedCoverPerYearUsd: Math.round(tirCover - catsCover),
    },
    notices,
    steps: {
      tirMean: round(mean(mirrored.map((c) => c.tir.steps)), 1),
      catsMean: round(mean(mirrored.map((c) => c.cats.steps)), 1),
    },
    discharge: {
      tirMeanHours: round(mean(discharged.map((c) => c.tir.hoursToDischarge!)), 1),
      catsMeanHours: round(mean(discharged.map((c) => c.cats.hoursToDischarge!)), 1),
    },
    refusals,
    reasons: [...reasonCount].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count),
    adherence: {
      mirrored: mirrored.length,
      adherent,
      share: mirrored.length ? round(adherent / mirrored.length, 4) : 0,
      failures: mirrored
        .filter((c) => !c.adherent)
        .map((c) => ({
          carnet: c.carnet,
          implied: c.impliedState,
          ...(c.finalState ? { reached: c.finalState } : {}),
          problems: observed.find((o) => o.carnet === c.carnet)?.problems ?? [],
        })),
    },
    perMovement,
  };
}

function refusalMessage(r: NonNullable<Observed['refusal']>): string {
  const detail = r.errors?.map((e) => `${e.pointer}: ${e.message}`).join('; ');
  return [r.status ? `HTTP ${r.status}` : '', r.message, detail].filter(Boolean).join(' — ');
}
