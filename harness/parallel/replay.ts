// Replays mirrored TIR movements through a CATS deployment at the TIR log's
// timing, compressed by the business clock: each movement lodged at the node of
// its office of departure when TIR accepted the carnet (released, after control
// when risk says so), each crossing recorded at the node of its office of
// transit, arrival and control results at the node of its office of
// destination, at the times the log gives them; the write-off follows at the
// departure node through ICE. Measured in business time: release, when each
// other country's node first holds the movement (its advance notice), every
// step, the write-off, and the reservation the departure node held.
import type { DeploymentFile } from '../deploy/deployment-file.ts';
import type { MovementState } from '../../reference/spec/movement-state.ts';
import type { BusinessClock } from './business-clock.ts';
import type { Mirrored, StepKind } from './mirror.ts';
import { officerTokenFor, type Registry } from './registry.ts';

export interface Refusal {
  /** HTTP status, 0 when no answer came. */
  status: number;
  code: string;
  message: string;
  errors?: { code: string; pointer: string; message: string }[];
}

export interface ObservedStep {
  kind: StepKind | 'release';
  office: string;
  /** Business time the TIR log puts the step at. */
  plannedAt: number;
  /** Business time the node answered. */
  doneAt?: number;
  status: number;
}

/** An office in another country than departure's, and when that country's node first held the movement. */
export interface ObservedNotice {
  office: string;
  country: string;
  role: 'transit' | 'destination';
  /** Business time the node of `country` first held the movement. */
  noticedAt?: number;
}

export interface Observed {
  carnet: string;
  mrn?: string;
  /** `refused`: the node answered the lodging or a step with an error; `not-served`: no node for an office's country. */
  outcome: 'mirrored' | 'refused' | 'not-served';
  refusal?: Refusal;
  controlled: boolean;
  lodgedAt?: number;
  releasedAt?: number;
  writtenOffAt?: number;
  /** Reserved at release on the holder's guarantee, minor units. */
  reservation?: { amount: number; currency: string };
  steps: ObservedStep[];
  notices: ObservedNotice[];
  finalState?: MovementState;
  problems: string[];
}

export interface ReplayOptions {
  deployment: DeploymentFile;
  registry: Registry;
  clock: BusinessClock;
  /** Longest wall-clock wait for one answer, an ICE delivery or a state. */
  stepTimeoutMs?: number;
  pollMs?: number;
  onDone?: (o: Observed) => void;
}

interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

async function call(method: string, url: string, token: string, body?: unknown): Promise<Answer> {
  try {
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      parsed = { message: text.slice(0, 300) };
    }
    return { status: res.status, body: parsed };
  } catch (err) {
    return { status: 0, body: { code: 'NO_ANSWER', message: (err as Error).message } };
  }
}

function refusalOf(a: Answer): Refusal {
  const b = a.body ?? {};
  return {
    status: a.status,
    code: typeof b['code'] === 'string' ? b['code'] : `HTTP_${a.status}`,
    message: typeof b['message'] === 'string' ? b['message'] : '',
    ...(Array.isArray(b['errors']) ? { errors: b['errors'] as Refusal['errors'] } : {}),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const countryOf = (office: string) => office.slice(0, 2);

/** Replays every movement; resolves with what was observed of each, in the given order. */
export async function replay(movements: readonly Mirrored[], options: ReplayOptions): Promise<Observed[]> {
  return Promise.all(movements.map((m) => replayOne(m, options).then((o) => (options.onDone?.(o), o))));
}

async function replayOne(m: Mirrored, options: ReplayOptions): Promise<Observed> {
  const { deployment, registry, clock } = options;
  const timeout = options.stepTimeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 50;
  const observed: Observed = {
    carnet: m.carnet,
    outcome: 'mirrored',
    controlled: false,
    steps: [],
    notices: [],
    problems: [],
  };
  const { ctd } = m;
  const offices = [ctd.offices.departure, ...ctd.offices.transit, ctd.offices.destination];
  const missing = [...new Set(offices.map(countryOf))].filter((c) => !deployment.nodes[c]);
  const crossBorder = offices.some((o) => countryOf(o) !== countryOf(ctd.offices.departure));
  if (missing.length > 0 || (crossBorder && !deployment.ice)) {
    observed.outcome = 'not-served';
    observed.refusal = {
      status: 0,
      code: 'NO_NODE',
      message:
        missing.length > 0
          ? `the deployment has no node for ${missing.join(', ')}`
          : 'the deployment has no ICE to carry the movement across borders',
    };
    return observed;
  }
  const nodeOf = (office: string) => deployment.nodes[countryOf(office)]!.url.replace(/\/+$/, '');
  const operator = registry.operators.get(m.holderTin);
  const officer = (office: string) => officerTokenFor(registry, office);
  const tokenProblem = !operator
    ? `no credentials for operator ${m.holderTin}`
    : offices.find((o) => !officer(o))
      ? `no officer credentials for office ${offices.find((o) => !officer(o))}`
      : undefined;
  if (tokenProblem) {
    observed.outcome = 'not-served';
    observed.refusal = { status: 0, code: 'NO_CREDENTIALS', message: tokenProblem };
    return observed;
  }
  const operatorToken = operator!.token;
  // The nodes stamp their records in wall-clock time, on this machine's clock.
  const businessAt = (stamp: unknown) => {
    const t = typeof stamp === 'string' ? Date.parse(stamp) : NaN;
    return clock.business(Number.isNaN(t) ? Date.now() : t);
  };
  const departure = nodeOf(ctd.offices.departure);

  const lodge = m.steps[0]!;
  await clock.until(lodge.at);
  const lodged = await call('POST', `${departure}/v1/declarations`, operatorToken, ctd);
  observed.steps.push({
    kind: 'lodge',
    office: lodge.office,
    plannedAt: lodge.at,
    doneAt: clock.business(),
    status: lodged.status,
  });
  if (lodged.status < 200 || lodged.status >= 300 || typeof lodged.body?.['mrn'] !== 'string') {
    observed.outcome = 'refused';
    observed.refusal = refusalOf(lodged);
    return observed;
  }
  const mrn = lodged.body['mrn'];
  observed.mrn = mrn;
  observed.lodgedAt = clock.business();
  let state = lodged.body['state'] as MovementState;
  if (state === 'UNDER_CONTROL') {
    observed.controlled = true;
    const released = await call(
      'POST',
      `${departure}/v1/declarations/${mrn}/release`,
      officer(ctd.offices.departure)!,
      {},
    );
    observed.steps.push({
      kind: 'release',
      office: ctd.offices.departure,
      plannedAt: lodge.at,
      doneAt: clock.business(),
      status: released.status,
    });
    if (released.status !== 200) {
      observed.outcome = 'refused';
      observed.refusal = refusalOf(released);
      return observed;
    }
    state = released.body?.['state'] as MovementState;
  }
  if (state !== 'RELEASED') {
    observed.outcome = 'refused';
    observed.refusal = {
      status: lodged.status,
      code: 'NOT_RELEASED',
      message: `the movement is ${state} after lodging`,
    };
    return observed;
  }
  observed.releasedAt = clock.business();
  const atRelease = await call('GET', `${departure}/v1/declarations/${mrn}`, operatorToken);
  const reservation = atRelease.body?.['reservation'] as { amount: number; currency: string } | null | undefined;
  if (reservation)
    observed.reservation = { amount: Math.round(reservation.amount * 100), currency: reservation.currency };
  else observed.problems.push('no reservation held at release');

  // Advance notice: when each other country's node first holds the movement (IE050, IE001 through ICE).
  const noticeOffices: { office: string; role: ObservedNotice['role'] }[] = [
    ...ctd.offices.transit.map((office) => ({ office, role: 'transit' as const })),
    { office: ctd.offices.destination, role: 'destination' as const },
  ].filter((n) => countryOf(n.office) !== countryOf(ctd.offices.departure));
  const known = new Map<string, Promise<number | undefined>>();
  const knownAt = (office: string): Promise<number | undefined> => {
    const country = countryOf(office);
    if (country === countryOf(ctd.offices.departure)) return Promise.resolve(observed.releasedAt);
    let p = known.get(country);
    if (!p) {
      p = (async () => {
        const deadline = Date.now() + timeout;
        for (;;) {
          const a = await call('GET', `${nodeOf(office)}/v1/declarations/${mrn}`, officer(office)!);
          // Its record's creation time: when ICE delivered it, not when this poll saw it.
          if (a.status === 200) return businessAt(a.body?.['createdAt']);
          if (Date.now() > deadline) return undefined;
          await sleep(pollMs);
        }
      })();
      known.set(country, p);
    }
    return p;
  };
  const notices = noticeOffices.map(async ({ office, role }) => {
    const noticedAt = await knownAt(office);
    const notice: ObservedNotice = {
      office,
      country: countryOf(office),
      role,
      ...(noticedAt !== undefined ? { noticedAt } : {}),
    };
    if (noticedAt === undefined) observed.problems.push(`${countryOf(office)} never received the movement through ICE`);
    return notice;
  });

  for (const step of m.steps.slice(1)) {
    await clock.until(step.at);
    await knownAt(step.office);
    const node = nodeOf(step.office);
    const token = officer(step.office)!;
    const path = { crossing: 'crossing', arrival: 'arrival', control: 'control-results' }[
      step.kind as Exclude<StepKind, 'lodge'>
    ];
    const body = step.kind === 'control' ? { office: step.office, conform: true } : { office: step.office };
    const a = await call('POST', `${node}/v1/movements/${mrn}/${path}`, token, body);
    observed.steps.push({
      kind: step.kind,
      office: step.office,
      plannedAt: step.at,
      doneAt: clock.business(),
      status: a.status,
    });
    if (a.status !== 200) {
      observed.outcome = 'refused';
      observed.refusal = refusalOf(a);
      break;
    }
  }
  observed.notices = await Promise.all(notices);

  // The departure node learns of the remote steps through ICE: wait for the state the log implies.
  const deadline = Date.now() + timeout;
  for (;;) {
    const a = await call('GET', `${departure}/v1/declarations/${mrn}`, operatorToken);
    const s = a.body?.['state'] as MovementState | undefined;
    if (s) observed.finalState = s;
    if (s === 'WRITTEN_OFF') observed.writtenOffAt = businessAt(a.body?.['updatedAt']);
    if (s === m.impliedState || observed.outcome !== 'mirrored' || Date.now() > deadline) break;
    await sleep(pollMs);
  }
  if (observed.outcome === 'mirrored' && observed.finalState !== m.impliedState)
    observed.problems.push(
      `departure shows ${observed.finalState ?? 'nothing'}, the TIR record implies ${m.impliedState}`,
    );
  return observed;
}
