// Which states a movement can reach from a given one, by the state machine's
// transitions: the test of "consistent with the last acknowledged step".
import { transitions, type MovementState } from '../../reference/domain/movement.ts';

const next = new Map<string, Set<string>>();
for (const table of Object.values(transitions))
  for (const [from, to] of Object.entries(table)) {
    if (!next.has(from)) next.set(from, new Set());
    next.get(from)!.add(to);
  }

/** `state` itself and every state reachable from it. */
export function reachableFrom(state: string): ReadonlySet<string> {
  const seen = new Set<string>([state]);
  const queue = [state];
  while (queue.length)
    for (const to of next.get(queue.shift()!) ?? [])
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
  return seen;
}

/**
 * Steps acknowledged at another country's node (office of transit or destination) move
 * the departure's copy through ICE: once the queues are drained it is at least here.
 */
const FOREIGN_STEPS: Record<string, MovementState> = {
  movement_crossing: 'IN_TRANSIT',
  movement_arrival: 'ARRIVED',
  movement_control_results: 'CONTROLLED',
};

/** The least state the departure node must show after a step was acknowledged with `state`. */
export function impliedDepartureState(step: string, state: string): string {
  // Non-conform results hold the movement in DISCREPANCIES at departure too, until customs decides.
  if (step === 'movement_control_results' && state === 'DISCREPANCIES') return 'DISCREPANCIES';
  return FOREIGN_STEPS[step] ?? state;
}
