// A fault schedule (`--faults FILE|SPEC`): which faults hit which part or link
// of a deployment, when (from the start of the run) and for how long.
//
//   SPEC   := EVENT (',' EVENT)*
//   EVENT  := FAULT ':' TARGET '@' AT ['+' FOR] ['=' VALUE]
//
//   kill:PART@AT                 SIGKILL the part's process (the supervisor restarts it)
//   pause:PART@AT+FOR            SIGSTOP, then SIGCONT after FOR
//   cut:LINK@AT+FOR              the link is down (connections refused and cut)
//   latency:LINK@AT+FOR=MS[~J]   each direction delayed MS, ± J jitter
//   reset:LINK@AT+FOR=P%         P % of connections reset
//   bandwidth:LINK@AT+FOR=KBPS   at most KBPS KB/s each direction
//
//   PART   := 'ice' | 'node/'CC | 'db' | 'db/'CC      (db/CC: CC's database alone, paused at the
//             fault proxy on CC's database link; db: the PostgreSQL server of every part)
//   LINK   := CLIENT '-' SERVER, CLIENT := 'clients' | 'ice' | CC, SERVER := CC | 'ice' | 'db'
//
// Any event may end in `~recover=DURATION`: the recovery limit the run checks, i.e. every
// backlog (nodes' outboxes, ICE's queue) drained within DURATION of the fault's end
// (default 60s; `recoverWithin` in the object form).
//
// AT, FOR and latencies are k6 durations (`20s`, `1m30s`, `500ms`); a bare
// number is milliseconds, as in k6. A file (JSON or YAML) holds a list of such
// strings, or of objects `{fault, target, at, for?, value?, recoverWithin?}`, either
// alone or under `faults:`.
import { existsSync, readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../engine/options/duration.ts';
import { FaultError, type FaultErrorDetail } from './fault-error.ts';

const Country = Type.String({ pattern: '^[A-Z]{2}$' });
const Ms = Type.Number({ minimum: 0 });

export const PartRef = Type.Union([
  Type.Object({ role: Type.Literal('ice') }),
  Type.Object({ role: Type.Literal('node'), country: Country }),
  Type.Object({ role: Type.Literal('db'), country: Type.Optional(Country) }),
]);
export type PartRef = Static<typeof PartRef>;

export const LinkRef = Type.Object({
  client: Type.Union([Type.Literal('clients'), Type.Literal('ice'), Country]),
  server: Type.Union([Type.Literal('ice'), Type.Literal('db'), Country]),
});
export type LinkRef = Static<typeof LinkRef>;

/** Default recovery limit: every backlog drained within this long after the fault's end. */
export const DEFAULT_RECOVER_WITHIN_MS = 60_000;

const recover = { recoverWithinMs: Type.Optional(Ms) };
const timing = { atMs: Ms, forMs: Ms, ...recover };
export const FaultEvent = Type.Union([
  Type.Object({ fault: Type.Literal('kill'), part: PartRef, atMs: Ms, ...recover }),
  Type.Object({ fault: Type.Literal('pause'), part: PartRef, ...timing }),
  Type.Object({ fault: Type.Literal('cut'), link: LinkRef, ...timing }),
  Type.Object({ fault: Type.Literal('latency'), link: LinkRef, ...timing, latencyMs: Ms, jitterMs: Ms }),
  Type.Object({
    fault: Type.Literal('reset'),
    link: LinkRef,
    ...timing,
    probability: Type.Number({ minimum: 0, maximum: 1 }),
  }),
  Type.Object({ fault: Type.Literal('bandwidth'), link: LinkRef, ...timing, rateKBps: Type.Number({ minimum: 0 }) }),
]);
export type FaultEvent = Static<typeof FaultEvent>;

const FAULTS = ['kill', 'pause', 'cut', 'latency', 'reset', 'bandwidth'] as const;
const PROCESS_FAULTS = new Set(['kill', 'pause']);
/** Whether the fault lasts (+FOR) and what its value is. */
const SHAPE: Record<(typeof FAULTS)[number], { lasts: boolean; value?: string }> = {
  kill: { lasts: false },
  pause: { lasts: true },
  cut: { lasts: true },
  latency: { lasts: true, value: 'a latency such as 300ms or 300ms~50ms' },
  reset: { lasts: true, value: 'a share of connections such as 5%' },
  bandwidth: { lasts: true, value: 'a rate in KB/s such as 100' },
};

function duration(text: string, what: string): number {
  const t = text.trim();
  // k6 reads a bare number as milliseconds.
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  return parseDuration(t, what);
}

function parsePart(text: string): PartRef | undefined {
  if (text === 'ice') return { role: 'ice' };
  if (text === 'db') return { role: 'db' };
  const m = /^(node|db)\/([A-Z]{2})$/.exec(text);
  if (!m) return undefined;
  return m[1] === 'node' ? { role: 'node', country: m[2] } : { role: 'db', country: m[2] };
}

export function parseLink(text: string): LinkRef | undefined {
  const m = /^(clients|ice|[A-Z]{2})-(ice|db|[A-Z]{2})$/.exec(text);
  if (!m || m[1] === m[2]) return undefined;
  return { client: m[1], server: m[2] };
}

/** One event in the compact form; problems are pushed with `pointer` (the event's place in the schedule). */
function parseEvent(text: string, pointer: string, problems: FaultErrorDetail[]): FaultEvent | undefined {
  const problem = (code: string, message: string) => {
    problems.push({ code, pointer, message: `'${text}': ${message}` });
    return undefined;
  };
  // The recovery limit comes last and is read first: a latency's jitter also follows a '~'.
  const limit = /~recover=([^~]*)$/.exec(text.trim());
  let recoverWithinMs: number | undefined;
  if (limit) {
    try {
      recoverWithinMs = duration(limit[1]!, 'recover');
    } catch (err) {
      return problem('bad_duration', (err as Error).message);
    }
    if (!(recoverWithinMs > 0)) return problem('bad_duration', 'recover= must be longer than 0s, e.g. ~recover=90s');
  }
  const event = parseFault(limit ? text.trim().slice(0, limit.index) : text, problem);
  return event && recoverWithinMs !== undefined ? { ...event, recoverWithinMs } : event;
}

function parseFault(text: string, problem: (code: string, message: string) => undefined): FaultEvent | undefined {
  const m = /^([a-z]+):([^@]+)@([^+=]+)(?:\+([^=]+))?(?:=(.+))?$/.exec(text.trim());
  if (!m) return problem('syntax', 'expected FAULT:TARGET@AT[+FOR][=VALUE], e.g. kill:ice@20s');
  const [, fault, target, atText, forText, valueText] = m;
  if (!(FAULTS as readonly string[]).includes(fault)) {
    return problem('unknown_fault', `unknown fault '${fault}'; one of ${FAULTS.join(', ')}`);
  }
  const f = fault as (typeof FAULTS)[number];
  const shape = SHAPE[f];
  let atMs: number;
  let forMs = 0;
  try {
    atMs = duration(atText, 'AT');
    if (forText !== undefined) forMs = duration(forText, 'FOR');
  } catch (err) {
    return problem('bad_duration', (err as Error).message);
  }
  if (shape.lasts && (forText === undefined || forMs <= 0)) {
    return problem('missing_duration', `${f} lasts a while: give +FOR, e.g. ${f}:${target}@${atText}+10s`);
  }
  if (!shape.lasts && forText !== undefined) return problem('unexpected_duration', `${f} has no duration`);
  if (!shape.value && valueText !== undefined) return problem('unexpected_value', `${f} takes no value`);
  if (shape.value && valueText === undefined) return problem('missing_value', `${f} needs =VALUE: ${shape.value}`);

  if (PROCESS_FAULTS.has(f)) {
    const part = parsePart(target);
    if (!part) return problem('bad_part', `'${target}' is not a part: ice, node/CC, db or db/CC`);
    return f === 'kill' ? { fault: 'kill', part, atMs } : { fault: 'pause', part, atMs, forMs };
  }
  const link = parseLink(target);
  if (!link) {
    return problem('bad_link', `'${target}' is not a link CLIENT-SERVER (clients|ice|CC - CC|ice|db), e.g. GE-ice`);
  }
  const value = valueText ?? '';
  switch (f) {
    case 'cut':
      return { fault: 'cut', link, atMs, forMs };
    case 'latency': {
      const [lat, jit] = value.split('~');
      try {
        return {
          fault: 'latency',
          link,
          atMs,
          forMs,
          latencyMs: duration(lat, 'latency'),
          jitterMs: jit === undefined ? 0 : duration(jit, 'jitter'),
        };
      } catch (err) {
        return problem('bad_value', (err as Error).message);
      }
    }
    case 'reset': {
      const p = /^(\d+(?:\.\d+)?)%$/.exec(value);
      if (!p || Number(p[1]) > 100) return problem('bad_value', `'${value}' is not a share from 0% to 100%`);
      return { fault: 'reset', link, atMs, forMs, probability: Number(p[1]) / 100 };
    }
    case 'bandwidth': {
      const r = /^(\d+(?:\.\d+)?)(?:KB\/s)?$/.exec(value);
      if (!r || Number(r[1]) <= 0) return problem('bad_value', `'${value}' is not a rate in KB/s above 0`);
      return { fault: 'bandwidth', link, atMs, forMs, rateKBps: Number(r[1]) };
    }
  }
  return undefined;
}

/** An entry of a schedule file in object form, back to the compact form. */
function entryText(entry: unknown, pointer: string, problems: FaultErrorDetail[]): string | undefined {
  if (typeof entry === 'string') return entry;
  const o = entry as Record<string, unknown> | null;
  const str = (v: unknown) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v : undefined);
  if (!o || typeof o !== 'object' || !str(o.fault) || !str(o.target) || str(o.at) === undefined) {
    problems.push({
      code: 'syntax',
      pointer,
      message: 'expected a string like kill:ice@20s or an object {fault, target, at, for?, value?, recoverWithin?}',
    });
    return undefined;
  }
  const extra = Object.keys(o).filter((k) => !['fault', 'target', 'at', 'for', 'value', 'recoverWithin'].includes(k));
  if (extra.length > 0) {
    problems.push({ code: 'unknown_field', pointer: `${pointer}/${extra[0]}`, message: `unknown field ${extra[0]}` });
    return undefined;
  }
  const forPart = o.for === undefined ? '' : `+${str(o.for)}`;
  const valuePart = o.value === undefined ? '' : `=${str(o.value)}`;
  const recoverPart = o.recoverWithin === undefined ? '' : `~recover=${str(o.recoverWithin)}`;
  return `${str(o.fault)}:${str(o.target)}@${str(o.at)}${forPart}${valuePart}${recoverPart}`;
}

function validated(entries: { text: string | undefined; pointer: string }[], problems: FaultErrorDetail[]) {
  const events: FaultEvent[] = [];
  for (const { text, pointer } of entries) {
    if (text === undefined) continue;
    const e = parseEvent(text, pointer, problems);
    if (e && Value.Check(FaultEvent, e)) events.push(e);
    else if (e) problems.push({ code: 'invalid', pointer, message: `'${text}' does not make a valid fault event` });
  }
  if (problems.length > 0) {
    throw new FaultError('invalid_fault_schedule', `the fault schedule has ${problems.length} error(s)`, problems);
  }
  return events.sort((a, b) => a.atMs - b.atMs);
}

/** Parses a compact spec (`kill:ice@20s,cut:GE-ice@50s+20s`) into events ordered by time. */
export function parseFaultSpec(spec: string): FaultEvent[] {
  const problems: FaultErrorDetail[] = [];
  const parts = spec.split(',').map((s) => s.trim());
  if (parts.every((p) => p === '')) {
    throw new FaultError('invalid_fault_schedule', 'the fault schedule is empty', [
      { code: 'empty', pointer: '', message: 'no fault given' },
    ]);
  }
  return validated(
    parts.map((text, i) => ({ text, pointer: `/${i}` })),
    problems,
  );
}

/** Parses the content of a schedule file (JSON or YAML). */
export function parseFaultFile(content: string, file: string): FaultEvent[] {
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(content) : parseYaml(content);
  } catch (err) {
    throw new FaultError('invalid_fault_schedule', `${file} cannot be read: ${(err as Error).message}`, [
      { code: 'syntax', pointer: '', message: (err as Error).message },
    ]);
  }
  const wrapped = doc !== null && typeof doc === 'object' && !Array.isArray(doc);
  const list = wrapped ? (doc as { faults?: unknown }).faults : doc;
  const base = wrapped ? '/faults' : '';
  if (!Array.isArray(list) || list.length === 0) {
    throw new FaultError('invalid_fault_schedule', `${file}: expected a list of faults (or faults: [...])`, [
      { code: 'syntax', pointer: base, message: 'expected a non-empty list' },
    ]);
  }
  const problems: FaultErrorDetail[] = [];
  return validated(
    list.map((entry, i) => ({ text: entryText(entry, `${base}/${i}`, problems), pointer: `${base}/${i}` })),
    problems,
  );
}

/** `--faults FILE|SPEC`: a file when one exists by that name, else a compact spec. */
export function readFaultSchedule(arg: string): FaultEvent[] {
  if (existsSync(arg)) return parseFaultFile(readFileSync(arg, 'utf8'), arg);
  if (/\.(json|ya?ml)$/.test(arg)) {
    throw new FaultError('invalid_fault_schedule', `no fault schedule file ${arg}`, [
      { code: 'not_found', pointer: '', message: `${arg} does not exist` },
    ]);
  }
  return parseFaultSpec(arg);
}

/** What the applicability check needs of a deployment file (`up`'s, or a `--target`'s without PIDs). */
export interface FaultableDeployment {
  nodes: Record<string, { pid?: number }>;
  ice?: { pid?: number };
  postgres?: { pid: number | null; embedded?: boolean };
  /** Present for a deployment started by `up`, whose links the harness can route through proxies. */
  supervisor?: { pid: number };
  /** The links between parts `up --fault-links` placed fault proxies on. */
  faultLinks?: { links: Record<string, unknown> };
}

export const describeLink = (l: LinkRef) => `${l.client}-${l.server}`;

/**
 * The links between parts a schedule needs fault proxies on (`up --fault-links`): the part
 * links it names, and CC-db for a pause of one country's database, whose connections the
 * proxy holds (every node's database is on one PostgreSQL server).
 */
export function faultLinksOf(events: FaultEvent[]): string[] {
  const links = new Set<string>();
  for (const e of events) {
    if ('link' in e && e.link.client !== 'clients') links.add(describeLink(e.link));
    if ('part' in e && e.part.role === 'db' && e.part.country) links.add(`${e.part.country}-db`);
  }
  return [...links].sort();
}

/** Why a link is none the deployment has between its parts, or undefined when it is one. */
export function partLinkProblem(l: LinkRef): string | undefined {
  if (l.client === 'clients') return undefined;
  if (l.client === 'ice' && l.server !== 'db') return 'ICE connects to no node: nodes connect to ICE (name it CC-ice)';
  if (/^[A-Z]{2}$/.test(l.client) && /^[A-Z]{2}$/.test(l.server))
    return 'nodes do not talk to each other: their C2C messages go through ICE (CC-ice)';
  return undefined;
}
const describePart = (p: PartRef) => (p.role === 'ice' ? 'ice' : p.country ? `${p.role}/${p.country}` : p.role);

/** Faults the deployment cannot take, each with the reason; nothing when all can be applied. */
export function inapplicableFaults(events: FaultEvent[], d: FaultableDeployment): FaultErrorDetail[] {
  const problems: FaultErrorDetail[] = [];
  const hasNode = (cc: string) => Object.hasOwn(d.nodes, cc);
  events.forEach((e, i) => {
    const refuse = (code: string, message: string) => problems.push({ code, pointer: `/${i}`, message });
    if ('part' in e) {
      const p = e.part;
      const what = `${e.fault}:${describePart(p)}`;
      if ((p.role === 'node' || p.role === 'db') && p.country && !hasNode(p.country)) {
        return refuse('unknown_part', `${what}: the deployment has no node ${p.country}`);
      }
      if (p.role === 'db' && p.country) {
        // One country's database is faulted at the proxy on its node's database link, not by signal.
        if (!d.supervisor)
          return refuse(
            'not_routable',
            `${what}: one country's database can be faulted only in a deployment started by up, which routes that node's database connections through a fault proxy`,
          );
        return;
      }
      const pid = p.role === 'ice' ? d.ice?.pid : p.role === 'node' ? d.nodes[p.country].pid : d.postgres?.pid;
      if (p.role === 'ice' && !d.ice) return refuse('unknown_part', `${what}: the deployment has no ICE`);
      if (!pid) {
        const why =
          p.role === 'db' && d.postgres && d.postgres.embedded === false
            ? 'its PostgreSQL is an external server, whose process is not ours'
            : 'the deployment file gives no PID for it (a --target deployment): process faults need one started by up';
        return refuse('no_pid', `${what}: ${why}`);
      }
      return;
    }
    const l = e.link;
    const what = `${e.fault}:${describeLink(l)}`;
    for (const end of [l.client, l.server]) {
      if (/^[A-Z]{2}$/.test(end) && !hasNode(end))
        return refuse('unknown_link', `${what}: the deployment has no node ${end}`);
      if (end === 'ice' && !d.ice) return refuse('unknown_link', `${what}: the deployment has no ICE`);
    }
    const unknown = partLinkProblem(l);
    if (unknown) return refuse('unknown_link', `${what}: ${unknown}`);
    if (l.client !== 'clients' && !d.supervisor) {
      return refuse(
        'not_routable',
        `${what}: a link between parts can be faulted only in a deployment started by up (a --target deployment's parts connect directly)`,
      );
    }
    if (l.client === 'clients' && l.server === 'db') {
      return refuse('unknown_link', `${what}: load clients do not talk to the database`);
    }
  });
  return problems;
}

/** Throws a FaultError naming every fault the deployment cannot take. */
export function checkApplicable(events: FaultEvent[], d: FaultableDeployment): void {
  const problems = inapplicableFaults(events, d);
  if (problems.length > 0) {
    throw new FaultError(
      'inapplicable_faults',
      `${problems.length} fault(s) cannot be applied to this deployment`,
      problems,
    );
  }
}
