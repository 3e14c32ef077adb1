// Applies a fault schedule to a running deployment while a run goes on: process
// faults by signal to the part's current PID (re-read from the deployment file,
// since the supervisor gives a restarted part a new one); network faults between
// load clients and a node or ICE through a fault proxy placed here in front of it,
// and on links between parts (and one country's database) through the proxies the
// supervisor placed on them (`up --fault-links`).
// Every fault applied is recorded as a start and an end with wall time.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { DeploymentFile } from '../deploy/deployment-file.ts';
import { writeDeploymentFile } from '../deploy/deployment-file.ts';
import { FaultError, type FaultErrorDetail } from './fault-error.ts';
import { startProxy, type FaultProxy } from './proxy.ts';
import { localLink, remoteLink, type FaultLink, type FaultLinksRecord } from './link-control.ts';
import {
  DEFAULT_RECOVER_WITHIN_MS,
  inapplicableFaults,
  type FaultableDeployment,
  type FaultEvent,
  type PartRef,
} from './schedule.ts';

/** One edge of an applied fault. `t`: wall time, epoch ms. */
export interface FaultRecord {
  fault: FaultEvent['fault'];
  /** `ice`, `node/GE`, `db`, or a link such as `clients-GE`. */
  target: string;
  phase: 'start' | 'end';
  t: number;
  /** False when the fault could not be applied (the part was not running, say); `detail` says why. */
  ok: boolean;
  detail?: string;
  pid?: number;
  /** On a kill's end: the part's restarts so far, as the supervisor recorded them. */
  restarts?: number;
  /** On a start: the recovery limit (seconds after the end by which every backlog must be drained). */
  recoverWithin?: number;
}

/** What the injector reads of a deployment file (`up`'s, with PIDs and restart counts). */
interface PartState {
  pid?: number;
  status?: string;
  restarts?: number;
  url?: string;
}
interface LiveDeployment extends FaultableDeployment {
  nodes: Record<string, PartState & { url: string }>;
  ice?: PartState & { url: string };
  postgres?: PartState & { pid: number | null; embedded?: boolean; databases?: string[]; servers?: unknown };
  faultLinks?: FaultLinksRecord;
}

export const targetOf = (e: FaultEvent): string =>
  'part' in e
    ? e.part.role === 'ice'
      ? 'ice'
      : e.part.country
        ? `${e.part.role}/${e.part.country}`
        : e.part.role
    : `${e.link.client}-${e.link.server}`;

/** Faults this injector cannot apply to `d` (beyond those the deployment lacks), each with the reason. */
export function refusedFaults(events: FaultEvent[], d: FaultableDeployment): FaultErrorDetail[] {
  const problems = inapplicableFaults(events, d);
  const refused = new Set(problems.map((p) => p.pointer));
  events.forEach((e, i) => {
    const pointer = `/${i}`;
    if (refused.has(pointer)) return;
    const what = `${e.fault}:${targetOf(e)}`;
    if ('part' in e && e.part.role === 'db' && e.part.country && e.fault === 'kill') {
      problems.push({
        code: 'not_supported',
        pointer,
        message: `${what}: every node's database is on one PostgreSQL server, so one country's database cannot be killed alone; pause:db/${e.part.country}@AT+FOR holds its connections, kill:db kills the server`,
      });
      return;
    }
    const link = proxiedLinkOf(e);
    if (link && !d.faultLinks?.links[link]) {
      problems.push({
        code: 'no_fault_proxy',
        pointer,
        message: `${what}: the deployment has no fault proxy on ${link}; start it with cats-stress up --fault-links ${link} (cats-stress stress does so itself)`,
      });
    }
  });
  return problems.sort((a, b) => a.pointer.localeCompare(b.pointer, 'en', { numeric: true }));
}

/** The link between parts whose proxy (in the supervisor) a fault acts on, if any. */
function proxiedLinkOf(e: FaultEvent): string | undefined {
  if ('link' in e) return e.link.client === 'clients' ? undefined : `${e.link.client}-${e.link.server}`;
  return e.part.role === 'db' && e.part.country ? `${e.part.country}-db` : undefined;
}

/** Throws a FaultError naming every fault that cannot be applied to the deployment, with the reason. */
export function checkInjectable(events: FaultEvent[], d: FaultableDeployment): void {
  const problems = refusedFaults(events, d);
  if (problems.length > 0)
    throw new FaultError(
      'inapplicable_faults',
      `${problems.length} fault(s) cannot be applied to this deployment`,
      problems,
    );
}

/** The processes a signal must reach: the part, and for PostgreSQL its backends too (a stopped postmaster alone leaves open connections served). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name, in parentheses, may itself hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      continue; // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface InjectorOptions {
  events: FaultEvent[];
  /** The deployment file the supervisor keeps up to date (PIDs, status, restarts). */
  deploymentFile: string;
  /** Where to write the deployment file load clients read when network faults route them through proxies. */
  routedDeploymentFile?: string;
  /** Called on each record as it happens (for the console). */
  onRecord?: (r: FaultRecord) => void;
  /** How often a killed part's state is read back until it runs again. */
  pollMs?: number;
}

/** What a pending or active fault must undo when it ends or the run stops. */
interface Active {
  end: () => void | Promise<void>;
}

export class FaultInjector {
  readonly records: FaultRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly active = new Set<Active>();
  /** Faults being applied (their part's state being read) when the run may stop. */
  private readonly applying = new Set<Promise<void>>();
  /** Every link a fault acts on, by name (`clients-GE`, `GE-ice`, `KZ-db`). */
  private readonly links = new Map<string, FaultLink>();
  /** The proxies this injector placed (from the load clients), closed at stop. */
  private readonly localProxies: FaultProxy[] = [];
  private stopped = false;

  private constructor(
    private readonly opts: InjectorOptions,
    /** The deployment file load clients should read: the given one, or one routed through the proxies. */
    readonly clientDeploymentFile: string,
  ) {}

  /**
   * Checks every fault against the deployment (throwing a FaultError that names those refused) and
   * places a proxy in front of each node a network fault targets. Nothing is applied before `start`.
   */
  static async prepare(opts: InjectorOptions): Promise<FaultInjector> {
    const deployment = await readLive(opts.deploymentFile);
    checkInjectable(opts.events, deployment);
    const names = new Set(opts.events.flatMap((e) => ('link' in e ? [targetOf(e)] : [])));
    // Links between parts: the supervisor's proxies, driven through its API.
    const remote = new Map<string, FaultLink>();
    for (const e of opts.events) {
      const name = proxiedLinkOf(e);
      if (name) remote.set(name, remoteLink(deployment.faultLinks!, name));
    }
    // Links from the load clients: a proxy here, and a deployment file for the clients pointing at it.
    const local = [...names].filter((n) => n.startsWith('clients-'));
    if (local.length === 0) {
      const injector = new FaultInjector(opts, opts.deploymentFile);
      for (const [n, l] of remote) injector.links.set(n, l);
      return injector;
    }
    if (!opts.routedDeploymentFile)
      throw new Error('network faults need a file for the deployment routed through fault proxies');
    const raw = JSON.parse(await readFile(opts.deploymentFile, 'utf8')) as DeploymentFile;
    const injector = new FaultInjector(opts, opts.routedDeploymentFile);
    for (const [n, l] of remote) injector.links.set(n, l);
    try {
      for (const name of local) {
        const server = name.slice('clients-'.length);
        const url = new URL(server === 'ice' ? raw.ice!.url : raw.nodes[server]!.url);
        const defaultPort = url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80;
        const proxy = await startProxy({
          name,
          upstream: { host: url.hostname, port: Number(url.port || defaultPort) },
        });
        injector.localProxies.push(proxy);
        injector.links.set(name, localLink(proxy));
        const routed = (u: string) => {
          const r = new URL(u);
          r.port = String(proxy.port);
          return r.toString().replace(/\/$/, '');
        };
        if (server === 'ice') {
          raw.ice!.url = routed(raw.ice!.url);
          if (raw.ice!.httpUrl) raw.ice!.httpUrl = routed(raw.ice!.httpUrl);
        } else raw.nodes[server]!.url = routed(raw.nodes[server]!.url);
      }
      await writeDeploymentFile(opts.routedDeploymentFile, raw);
    } catch (err) {
      await injector.stop();
      throw err;
    }
    return injector;
  }

  /** Schedules every fault from now (the start of the run). */
  start(): void {
    for (const e of this.opts.events) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const applying = this.apply(e).finally(() => this.applying.delete(applying));
        this.applying.add(applying);
      }, e.atMs);
      this.timers.add(timer);
    }
  }

  /** Cancels faults not yet due, ends those under way, closes the proxies; returns every record. */
  async stop(): Promise<FaultRecord[]> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all(this.applying);
    for (const a of [...this.active]) await a.end();
    await Promise.all(this.localProxies.map((p) => p.close()));
    this.localProxies.length = 0;
    return this.records;
  }

  private record(e: FaultEvent, phase: FaultRecord['phase'], rest: Partial<FaultRecord> = {}): void {
    const r: FaultRecord = { fault: e.fault, target: targetOf(e), phase, t: Date.now(), ok: true, ...rest };
    if (phase === 'start') r.recoverWithin = (e.recoverWithinMs ?? DEFAULT_RECOVER_WITHIN_MS) / 1000;
    this.records.push(r);
    this.opts.onRecord?.(r);
  }

  /** Ends a fault after `ms`, or at stop, whichever comes first, once. */
  private lasting(ms: number, end: () => void | Promise<void>): void {
    let done = false;
    const a: Active = {
      end: async () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.active.delete(a);
        await end();
      },
    };
    const timer = setTimeout(() => void a.end(), ms);
    this.active.add(a);
  }

  private async apply(e: FaultEvent): Promise<void> {
    if (this.stopped) return;
    try {
      if ('part' in e && e.part.role === 'db' && e.part.country) await this.pauseDatabase(e, e.part.country);
      else if ('part' in e) await this.applyToPart(e, e.part);
      else await this.applyToLink(e);
    } catch (err) {
      this.record(e, 'start', { ok: false, detail: (err as Error).message });
      this.record(e, 'end', { ok: false, detail: 'not applied' });
    }
  }

  private async applyToPart(e: FaultEvent, part: PartRef): Promise<void> {
    const state = partState(await readLive(this.opts.deploymentFile), part);
    // The run ended while the file was read: too late to apply it.
    if (this.stopped) return;
    const pid = state?.pid;
    if (!pid || !alive(pid)) {
      const why = `${targetOf(e)} is not running (status ${state?.status ?? 'unknown'})`;
      this.record(e, 'start', { ok: false, detail: why });
      this.record(e, 'end', { ok: false, detail: why });
      return;
    }
    if (e.fault === 'kill') {
      process.kill(pid, 'SIGKILL');
      this.record(e, 'start', { pid, restarts: state.restarts });
      this.awaitRestart(e, part, pid);
      return;
    }
    if (e.fault !== 'pause') return;
    // Backends of PostgreSQL are stopped with it; continued in the opposite order.
    const pids = part.role === 'db' ? processTree(pid) : [pid];
    for (const p of pids) signal(p, 'SIGSTOP');
    this.record(e, 'start', { pid });
    this.lasting(e.forMs, () => {
      for (const p of [...pids].reverse()) signal(p, 'SIGCONT');
      this.record(e, 'end', { pid });
    });
  }

  /** A kill ends when the supervisor has the part running again under a new PID (or when the run stops). */
  private awaitRestart(e: FaultEvent, part: PartRef, killed: number): void {
    const poll = this.opts.pollMs ?? 100;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const a: Active = {
      end: async () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.active.delete(a);
        const s = partState(await readLive(this.opts.deploymentFile).catch(() => undefined), part);
        this.record(e, 'end', {
          ok: false,
          detail: `the run ended before ${targetOf(e)} ran again (status ${s?.status ?? 'unknown'})`,
          restarts: s?.restarts,
        });
      },
    };
    const check = async () => {
      if (done) return;
      const s = partState(await readLive(this.opts.deploymentFile).catch(() => undefined), part);
      if (done) return;
      if (s?.pid && s.pid !== killed && s.status === 'running') {
        done = true;
        this.active.delete(a);
        this.record(e, 'end', { pid: s.pid, restarts: s.restarts, detail: 'running again' });
        return;
      }
      if (s?.status === 'failed') {
        done = true;
        this.active.delete(a);
        this.record(e, 'end', {
          ok: false,
          restarts: s.restarts,
          detail: `${targetOf(e)} failed and is not restarted`,
        });
        return;
      }
      timer = setTimeout(() => void check(), poll);
    };
    this.active.add(a);
    timer = setTimeout(() => void check(), poll);
  }

  /**
   * One country's database paused: the proxy on its node's database link holds every byte both
   * ways (a timeout toxic of 0), as a stopped server would, and lets it pass again at the end.
   */
  private async pauseDatabase(e: FaultEvent, country: string): Promise<void> {
    if (e.fault !== 'pause') return;
    const link = this.links.get(`${country}-db`)!;
    const names: string[] = [];
    for (const stream of ['upstream', 'downstream'] as const)
      names.push(
        await link.addToxic({ type: 'timeout', stream, attributes: { timeout: 0 }, name: `pause_${stream}_${e.atMs}` }),
      );
    this.record(e, 'start');
    this.lasting(e.forMs, async () => {
      for (const n of names) await link.removeToxic(n).catch(() => undefined);
      this.record(e, 'end');
    });
  }

  private async applyToLink(e: FaultEvent): Promise<void> {
    if (!('link' in e)) return;
    const link = this.links.get(targetOf(e))!;
    if (e.fault === 'cut') {
      await link.disable();
      this.record(e, 'start');
      this.lasting(e.forMs, async () => {
        await link.enable().catch(() => undefined);
        this.record(e, 'end');
      });
      return;
    }
    const both = (type: string, attributes: Record<string, number>, extra: Record<string, unknown> = {}) =>
      (['upstream', 'downstream'] as const).map((stream) => ({
        type,
        stream,
        attributes,
        name: `${e.fault}_${stream}_${e.atMs}`,
        ...extra,
      }));
    const toxic =
      e.fault === 'latency'
        ? both('latency', { latency: Math.round(e.latencyMs), jitter: Math.round(e.jitterMs) })
        : e.fault === 'reset'
          ? both('reset_peer', { timeout: 0 }, { toxicity: e.probability }).slice(0, 1)
          : e.fault === 'bandwidth'
            ? both('bandwidth', { rate: e.rateKBps })
            : [];
    const names: string[] = [];
    for (const t of toxic) names.push(await link.addToxic(t));
    this.record(e, 'start');
    this.lasting(e.forMs, async () => {
      for (const n of names) await link.removeToxic(n).catch(() => undefined);
      this.record(e, 'end');
    });
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone meanwhile: nothing left to stop or continue
  }
}

function partState(d: LiveDeployment | undefined, part: PartRef): PartState | undefined {
  if (!d) return undefined;
  if (part.role === 'ice') return d.ice;
  if (part.role === 'node') return d.nodes[part.country];
  return d.postgres ?? undefined;
}

async function readLive(file: string): Promise<LiveDeployment> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LiveDeployment;
  } catch (err) {
    throw new Error(`cannot read deployment file ${file}: ${(err as Error).message}`);
  }
}
