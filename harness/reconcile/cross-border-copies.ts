// Check: every released cross-border movement exists at the node of each
// office of transit and of destination in another country of the deployment
// (the copy ICE's IE050 / IE001 brought there), once.
import { guaranteeHeldStates } from '../../reference/domain/movement.ts';
import { officeByReference } from '../../reference/spec/reference-data/offices.ts';
import { isAvailable, type AuditSnapshot } from './audit-client.ts';
import { Findings, notApplicable, withoutSource, type CheckResult } from './verdict.ts';

const ID = 'cross-border-copies';
const TITLE = 'Released movements at their transit and destination nodes';
/** Every state a released movement can be in: it holds its guarantee, or was discharged, recovered or invalidated. */
const RELEASED = new Set<string>([...guaranteeHeldStates, 'WRITTEN_OFF', 'RECOVERED', 'INVALIDATED']);

export function checkCrossBorderCopies(snapshot: AuditSnapshot): CheckResult {
  if (!snapshot.ice)
    return notApplicable(ID, TITLE, 'the deployment has no ICE: movements stay at their departure node');
  const lacking = Object.values(snapshot.nodes).find((n) => !isAvailable(n.movements));
  if (lacking && !isAvailable(lacking.movements))
    return withoutSource(ID, TITLE, { node: lacking.country, what: `node ${lacking.country}` }, lacking.movements);
  const copies = new Map<string, Map<string, number>>();
  for (const n of Object.values(snapshot.nodes)) {
    const held = new Map<string, number>();
    for (const m of n.movements as Exclude<typeof n.movements, { unavailable: string }>)
      if (m.role !== 'departure') held.set(m.mrn, (held.get(m.mrn) ?? 0) + 1);
    copies.set(n.country, held);
  }
  const f = new Findings(['missing', 'duplicated']);
  let checked = 0;
  for (const n of Object.values(snapshot.nodes))
    for (const m of n.movements as Exclude<typeof n.movements, { unavailable: string }>) {
      if (m.role !== 'departure' || !RELEASED.has(m.state)) continue;
      const countries = new Set(
        [...m.offices.transit, m.offices.destination]
          .map((o) => officeByReference.get(o)?.country)
          .filter((c): c is string => c !== undefined && c !== n.country && copies.has(c)),
      );
      if (countries.size === 0) continue;
      checked++;
      for (const c of countries) {
        const count = copies.get(c)!.get(m.mrn) ?? 0;
        if (count === 0)
          f.add('missing', {
            mrn: m.mrn,
            node: c,
            problem: `released (${m.state} at ${n.country}) but absent at ${c}`,
          });
        else if (count > 1) f.add('duplicated', { mrn: m.mrn, node: c, problem: `held ${count} times at ${c}` });
      }
    }
  return f.result(ID, TITLE, checked);
}
