// Check: every C2C message ICE stored for a node of the deployment was
// delivered and applied exactly once — matched per message id between ICE's
// record and the recipient's ledger of applied messages, so a lost message and
// a duplicate never cancel out. Messages for countries outside the deployment
// (ICE load identities) are counted apart.
import { isAvailable, type AuditSnapshot } from './audit-client.ts';
import { Findings, notApplicable, withoutSource, type CheckResult } from './verdict.ts';

const ID = 'c2c-exactly-once';
const TITLE = 'C2C messages applied exactly once';

export function checkC2cExactlyOnce(snapshot: AuditSnapshot): CheckResult {
  if (!snapshot.ice) return notApplicable(ID, TITLE, 'the deployment has no ICE');
  if (!isAvailable(snapshot.ice)) return withoutSource(ID, TITLE, { what: 'ICE' }, snapshot.ice);
  const lacking = Object.values(snapshot.nodes).find((n) => !isAvailable(n.applied));
  if (lacking && !isAvailable(lacking.applied))
    return withoutSource(ID, TITLE, { node: lacking.country, what: `node ${lacking.country}` }, lacking.applied);

  const ledgers = new Map<string, Map<string, number>>();
  for (const n of Object.values(snapshot.nodes)) {
    const counts = new Map<string, number>();
    for (const a of n.applied as Exclude<typeof n.applied, { unavailable: string }>)
      counts.set(a.messageId, (counts.get(a.messageId) ?? 0) + 1);
    ledgers.set(n.country, counts);
  }
  const f = new Findings(['notDelivered', 'rejected', 'lost', 'appliedTwice', 'notStoredByIce']);
  const stored = new Set<string>();
  let checked = 0;
  for (const m of snapshot.ice) {
    stored.add(m.id);
    const ledger = ledgers.get(m.recipient);
    if (!ledger) {
      f.tally('outsideDeployment');
      continue;
    }
    checked++;
    const at = { mrn: m.mrn, messageId: m.id, node: m.recipient };
    if (m.status === 'pending') {
      f.add('notDelivered', { ...at, problem: `${m.type} from ${m.sender} still undelivered after the drain` });
      continue;
    }
    if (m.status === 'rejected') {
      f.add('rejected', {
        ...at,
        problem:
          `${m.type} from ${m.sender} rejected by ${m.recipient}: ${m.rejection?.code ?? ''} ${m.rejection?.message ?? ''}`.trim(),
      });
      continue;
    }
    const times = ledger.get(m.id) ?? 0;
    if (times === 0)
      f.add('lost', {
        ...at,
        problem: `${m.type} from ${m.sender} acknowledged to ICE but not in ${m.recipient}'s ledger`,
      });
    else if (times > 1) f.add('appliedTwice', { ...at, problem: `${m.type} applied ${times} times at ${m.recipient}` });
    else f.tally('appliedOnce');
  }
  for (const [country, ledger] of ledgers)
    for (const id of ledger.keys())
      if (!stored.has(id))
        f.add('notStoredByIce', {
          messageId: id,
          node: country,
          problem: `applied at ${country} but never stored by ICE`,
        });
  return f.result(ID, TITLE, checked);
}
