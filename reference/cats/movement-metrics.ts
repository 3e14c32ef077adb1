// Movements by state without scanning the table per scrape. Every state change
// is counted once its transaction has committed (cats_movement_transitions_total,
// from which dashboards derive the flow), and the open movements per state
// (cats_movements_open) are counted once at startup, then moved by those same
// transitions. That gauge is per process: several processes on one database
// each show their startup count plus their own transitions only.
import client from 'prom-client';
import { finalStates, type MovementState } from '../domain/movement.ts';
import type { Queryable } from '../store/database.ts';
import { countOpenMovements, type MovementRole } from '../store/movements.ts';

/** `none`: the node starts recording the movement (lodged here, or announced by another country). */
export type TransitionFrom = MovementState | 'none';

/** The transitions along a sequence of states: from `start` to `states[0]`, then between consecutive states. */
export function transitionsAlong(
  start: TransitionFrom,
  states: readonly MovementState[],
): { from: TransitionFrom; to: MovementState }[] {
  return states.map((to, i) => ({ from: i === 0 ? start : states[i - 1]!, to }));
}

export class MovementMetrics {
  private readonly transitions: client.Counter<'from' | 'to' | 'role'>;
  private readonly open: client.Gauge<'role' | 'state'>;
  private loaded = false;

  constructor(registry: client.Registry) {
    this.transitions = new client.Counter({
      name: 'cats_movement_transitions_total',
      help: "Movement state changes committed, by previous state (none: the node starts recording the movement), new state and the node's role in the movement",
      labelNames: ['from', 'to', 'role'],
      registers: [registry],
    });
    this.open = new client.Gauge({
      name: 'cats_movements_open',
      help: "Movements in a non-final state, by role and state: counted at startup, then moved by this process's transitions (per process)",
      labelNames: ['role', 'state'],
      registers: [registry],
    });
  }

  /** Counts the open movements (one scan of the table); call before the node serves anything. */
  async load(db: Queryable): Promise<void> {
    this.open.reset();
    for (const r of await countOpenMovements(db, [...finalStates]))
      this.open.set({ role: r.role, state: r.state }, r.count);
    this.loaded = true;
  }

  /** Records committed state changes; a step that leaves the state as it was is not one. */
  record(role: MovementRole, transitions: readonly { from: TransitionFrom; to: MovementState }[]): void {
    for (const { from, to } of transitions) {
      if (from === to) continue;
      this.transitions.inc({ from, to, role });
      if (!this.loaded) continue;
      if (from !== 'none' && !finalStates.has(from)) this.open.dec({ role, state: from });
      if (!finalStates.has(to)) this.open.inc({ role, state: to });
    }
  }
}
