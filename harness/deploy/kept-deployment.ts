// Every process of a running deployment kept running by the supervisor: ICE,
// the nodes and the embedded PostgreSQL are restarted when they die, their
// restarts and status reach the deployment file and the supervisor's
// /metrics, and stopping stops the nodes, then ICE, then PostgreSQL.
import type { Postmaster } from '../../reference/store/postgres.ts';
import type { Deployment } from './deployment-file.ts';
import { partIncarnation, postmasterIncarnation } from './incarnations.ts';
import type { Part } from './part.ts';
import { RestartingPart, type PartState } from './restarting-part.ts';
import type { RestartPolicy } from './restart-policy.ts';
import type { SupervisorMetrics } from './supervisor-metrics.ts';

export interface KeptProcess {
  /** The process already started and ready. */
  first: Part;
  /** Spawns it again with the same arguments (port, database). */
  spawn: () => Part;
  readyUrl: string;
}

export interface KeepOptions {
  ice: KeptProcess;
  nodes: Record<string, KeptProcess>;
  /** The embedded PostgreSQL server (an external one is not ours to restart). */
  postgres?: { postmaster: Postmaster; stop: () => Promise<void> };
  readyTimeoutMs: number;
  policy?: RestartPolicy;
  metrics?: SupervisorMetrics;
  say: (line: string) => void;
  /** After any change, once the parts' states are in the deployment given to `record`. */
  changed?: () => void;
}

export class KeptDeployment {
  private readonly ice: RestartingPart;
  private readonly nodes = new Map<string, RestartingPart>();
  private readonly postgres: RestartingPart | undefined;
  private deployment: Deployment | undefined;

  constructor(private readonly opts: KeepOptions) {
    const keep = (name: string, labels: { part: string; country: string }, p: KeptProcess) =>
      new RestartingPart(name, partIncarnation(p.first, Promise.resolve()), {
        start: () => {
          const part = p.spawn();
          return partIncarnation(part, part.ready(p.readyUrl, opts.readyTimeoutMs));
        },
        policy: opts.policy,
        say: opts.say,
        changed: (state) => this.changed(labels, state),
      });
    this.ice = keep('ice', { part: 'ice', country: '' }, opts.ice);
    for (const [country, p] of Object.entries(opts.nodes)) {
      this.nodes.set(country, keep(p.first.name, { part: 'node', country }, p));
    }
    const pg = opts.postgres;
    if (pg) {
      this.postgres = new RestartingPart('PostgreSQL', postmasterIncarnation(pg.postmaster, pg.stop), {
        start: () => postmasterIncarnation(pg.postmaster, pg.stop, pg.postmaster.start()),
        policy: opts.policy,
        say: opts.say,
        changed: (state) => this.changed({ part: 'postgres', country: '' }, state),
      });
    }
    for (const [labels, part] of this.labelled()) opts.metrics?.record(labels, part.state);
  }

  private labelled(): [{ part: string; country: string }, RestartingPart][] {
    return [
      [{ part: 'ice', country: '' }, this.ice],
      ...[...this.nodes].map(([country, p]): [{ part: string; country: string }, RestartingPart] => [
        { part: 'node', country },
        p,
      ]),
      ...(this.postgres
        ? [[{ part: 'postgres', country: '' }, this.postgres] as [{ part: string; country: string }, RestartingPart]]
        : []),
    ];
  }

  private changed(labels: { part: string; country: string }, state: PartState): void {
    this.opts.metrics?.record(labels, state);
    if (this.deployment) this.record(this.deployment);
    this.opts.changed?.();
  }

  /** Writes every part's pid, status and restarts into `d`, and keeps doing so on every change. */
  record(d: Deployment): void {
    this.deployment = d;
    const health = (p: RestartingPart) => ({ status: p.state.status, restarts: p.state.restarts });
    Object.assign(d.ice, health(this.ice), this.ice.state.pid ? { pid: this.ice.state.pid } : {});
    for (const [country, p] of this.nodes) {
      const node = d.nodes[country];
      if (node) Object.assign(node, health(p), p.state.pid ? { pid: p.state.pid } : {});
    }
    if (this.postgres) {
      Object.assign(d.postgres, health(this.postgres), this.postgres.state.pid ? { pid: this.postgres.state.pid } : {});
    }
  }

  /** Stops the nodes, then ICE, then PostgreSQL; none is restarted after. */
  async stop(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((p) => p.stop()));
    await this.ice.stop();
    await this.postgres?.stop();
  }
}
