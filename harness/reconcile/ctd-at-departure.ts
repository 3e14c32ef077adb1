// Check: every CTD the run got an MRN for exists exactly once at its departure
// node (the MRN's country), in a state consistent with the last step the run
// saw acknowledged. Without a journal (a real k6 run), the departure movements
// are counted against the run's accepted CTDs instead, and the verdict says so.
import { isAvailable, type AuditSnapshot } from './audit-client.ts';
import type { AckJournal } from './journal.ts';
import { impliedDepartureState, reachableFrom } from './reachable-states.ts';
import { Findings, withoutSource, type CheckResult } from './verdict.ts';

const ID = 'ctd-at-departure';
const TITLE = 'CTDs at their departure node';

export function checkCtdsAtDeparture(
  snapshot: AuditSnapshot,
  run: { journal?: AckJournal; acceptedCount?: number },
): CheckResult {
  const lacking = Object.values(snapshot.nodes).find((n) => !isAvailable(n.movements));
  if (lacking && !isAvailable(lacking.movements))
    return withoutSource(ID, TITLE, { node: lacking.country, what: `node ${lacking.country}` }, lacking.movements);
  // Per MRN: the departure entries of every node (a declaration held twice, or at two nodes, shows here).
  const departures = new Map<string, { node: string; state: string }[]>();
  for (const n of Object.values(snapshot.nodes))
    for (const m of n.movements as Exclude<typeof n.movements, { unavailable: string }>)
      if (m.role === 'departure') {
        const list = departures.get(m.mrn) ?? [];
        list.push({ node: n.country, state: m.state });
        departures.set(m.mrn, list);
      }

  const f = new Findings(['missing', 'duplicated', 'wrongNode', 'inconsistentState']);
  if (!run.journal) {
    const accepted = run.acceptedCount ?? 0;
    const found = departures.size;
    if (found < accepted)
      f.add('missing', {
        problem: `the run had ${accepted} CTD(s) accepted, the deployment holds ${found} departure movement(s)`,
      });
    return f.result(
      ID,
      TITLE,
      accepted,
      "no journal of acknowledged steps (a real k6 run): counted against the run's ctd_accepted, not per MRN",
    );
  }
  for (const [mrn, ack] of run.journal) {
    const country = mrn.slice(2, 4);
    const held = departures.get(mrn) ?? [];
    const here = held.filter((h) => h.node === country);
    const elsewhere = held.filter((h) => h.node !== country);
    if (!(country in snapshot.nodes)) {
      f.add('wrongNode', { mrn, problem: `its departure country ${country} has no node in the deployment` });
      continue;
    }
    if (elsewhere.length)
      f.add('wrongNode', {
        mrn,
        node: elsewhere[0]!.node,
        problem: `declared at ${elsewhere.map((e) => e.node).join(', ')} besides ${country}`,
      });
    if (here.length === 0) {
      f.add('missing', {
        mrn,
        node: country,
        problem: `absent at its departure node (last acknowledged: ${ack.step} → ${ack.state})`,
      });
      continue;
    }
    if (here.length > 1) f.add('duplicated', { mrn, node: country, problem: `held ${here.length} times` });
    const implied = impliedDepartureState(ack.step, ack.state);
    const state = here[0]!.state;
    if (!reachableFrom(implied).has(state))
      f.add('inconsistentState', {
        mrn,
        node: country,
        problem: `state ${state}, but the run saw ${ack.step} acknowledged (${ack.state}): expected ${implied} or later`,
      });
  }
  return f.result(ID, TITLE, run.journal.size);
}
