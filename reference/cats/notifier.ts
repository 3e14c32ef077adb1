// Fan-out of movement notifications to the WebSocket streams of their operator.
// Notifications are published after the transaction that caused them commits.
import type { Notification } from '../spec/notifications.ts';
import type { MovementEvent, MovementView } from '../domain/movement.ts';

type Listener = (n: Notification) => void;

export class Notifier {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(operatorTin: string, listener: Listener): () => void {
    let set = this.listeners.get(operatorTin);
    if (!set) this.listeners.set(operatorTin, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(operatorTin);
    };
  }

  publish(operatorTin: string | null, notifications: readonly Notification[]): void {
    if (operatorTin === null) return;
    const set = this.listeners.get(operatorTin);
    if (!set) return;
    for (const n of notifications) for (const listener of set) listener(n);
  }

  get subscribers(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}

/** The notification of one step of a movement. */
export function notification(
  m: { mrn: string; lrn: string | null },
  event: MovementEvent,
  view: MovementView,
  at: Date,
): Notification {
  return {
    type: 'movement',
    mrn: m.mrn,
    lrn: m.lrn,
    event: event.type,
    state: view.state,
    office: 'office' in event ? event.office : null,
    ...(event.type === 'guaranteeRefused' ? { reason: { code: event.code, message: event.reason } } : {}),
    at: at.toISOString(),
  };
}
