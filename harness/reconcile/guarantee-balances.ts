// Check: at each node, every guarantee's reserved amount is the sum of the
// reservations its movements hold now, its available balance is the reference
// amount minus that, nothing is overdrawn, and no finished movement still
// holds a reservation. Amounts in minor units, compared exactly. A guarantee
// registered in one country and securing a movement departing from another
// (IE203/IE205): its node counts the use in the balance, and the use must be
// the one departure's movement reports held abroad, while it is not finished.
import { finalStates } from '../../reference/domain/movement.ts';
import { guaranteeCountry } from '../../reference/domain/guarantee.ts';
import { isAvailable, type AuditSnapshot } from './audit-client.ts';
import { Findings, withoutSource, type CheckResult } from './verdict.ts';

const ID = 'guarantee-balances';
const TITLE = 'Guarantee balances';
const FINISHED: ReadonlySet<string> = finalStates;

export function checkGuaranteeBalances(snapshot: AuditSnapshot): CheckResult {
  for (const n of Object.values(snapshot.nodes)) {
    const part = { node: n.country, what: `node ${n.country}` };
    if (!isAvailable(n.guarantees)) return withoutSource(ID, TITLE, part, n.guarantees);
    if (!isAvailable(n.movements)) return withoutSource(ID, TITLE, part, n.movements);
  }
  const f = new Findings([
    'overdrawn',
    'balanceMismatch',
    'notGivenBack',
    'unknownGuarantee',
    'chargedNotRecovered',
    'useMismatch',
  ]);
  // Reservations held abroad as departure reports them (country of the GRN → "mrn grn" → amount).
  const reportedAbroad = new Map<string, number>();
  const departures = new Map<string, string>();
  let checked = 0;
  for (const n of Object.values(snapshot.nodes)) {
    const guarantees = n.guarantees as Exclude<typeof n.guarantees, { unavailable: string }>;
    const movements = n.movements as Exclude<typeof n.movements, { unavailable: string }>;
    const held = new Map<string, { sum: number; mrns: string[] }>();
    for (const m of movements) {
      // Only recovery charges a guarantee, and a charged reservation is no longer held.
      for (const r of m.charged ?? [])
        if (m.state !== 'RECOVERED')
          f.add('chargedNotRecovered', {
            mrn: m.mrn,
            grn: r.grn,
            node: n.country,
            problem: `${m.state} but ${r.amountMinor} ${r.currency} (minor units) was charged to the guarantee`,
          });
      if (m.role === 'departure') departures.set(m.mrn, m.state);
      for (const r of m.reservedAbroad ?? []) {
        reportedAbroad.set(`${m.mrn} ${r.grn}`, r.amountMinor);
        if (FINISHED.has(m.state))
          f.add('notGivenBack', {
            mrn: m.mrn,
            grn: r.grn,
            node: n.country,
            problem: `${m.state} but its guarantee's country still holds ${r.amountMinor} ${r.currency} (minor units) for it`,
          });
      }
      for (const r of m.reservations) {
        if (FINISHED.has(m.state))
          f.add('notGivenBack', {
            mrn: m.mrn,
            grn: r.grn,
            node: n.country,
            problem: `${m.state} but still holds ${r.amountMinor} ${r.currency} (minor units)`,
          });
        const h = held.get(r.grn) ?? { sum: 0, mrns: [] };
        h.sum += r.amountMinor;
        h.mrns.push(m.mrn);
        held.set(r.grn, h);
      }
    }
    for (const g of guarantees)
      for (const u of g.uses ?? []) {
        const h = held.get(g.grn) ?? { sum: 0, mrns: [] };
        h.sum += u.amountMinor;
        h.mrns.push(u.mrn);
        held.set(g.grn, h);
      }
    const known = new Set(guarantees.map((g) => g.grn));
    for (const [grn, h] of held)
      if (!known.has(grn))
        f.add('unknownGuarantee', {
          mrn: h.mrns[0],
          grn,
          node: n.country,
          problem: `reserves on a guarantee ${n.country} does not hold`,
        });
    for (const g of guarantees) {
      checked++;
      const h = held.get(g.grn) ?? { sum: 0, mrns: [] };
      const at = { grn: g.grn, node: n.country, ...(h.mrns[0] ? { mrn: h.mrns[0] } : {}) };
      if (g.reservedMinor > g.referenceAmountMinor || g.availableMinor < 0)
        f.add('overdrawn', {
          ...at,
          problem: `reserved ${g.reservedMinor} of a reference amount of ${g.referenceAmountMinor} (available ${g.availableMinor})`,
        });
      if (g.reservedMinor !== h.sum || g.availableMinor !== g.referenceAmountMinor - h.sum)
        f.add('balanceMismatch', {
          ...at,
          problem: `reserved ${g.reservedMinor}, available ${g.availableMinor}; its ${h.mrns.length} open movement(s) hold ${h.sum}, so available should be ${g.referenceAmountMinor - h.sum}`,
        });
    }
  }
  // Each use held at a guarantee's node is the reservation its departure reports held abroad, and no other.
  const uses = new Map<string, { node: string; amount: number; departureCountry: string }>();
  for (const n of Object.values(snapshot.nodes))
    for (const g of n.guarantees as Exclude<typeof n.guarantees, { unavailable: string }>)
      for (const u of g.uses ?? [])
        uses.set(`${u.mrn} ${g.grn}`, { node: n.country, amount: u.amountMinor, departureCountry: u.departureCountry });
  for (const [key, u] of uses) {
    const [mrn, grn] = key.split(' ') as [string, string];
    const reported = reportedAbroad.get(key);
    if (reported === u.amount) continue;
    const state = departures.get(mrn);
    f.add('useMismatch', {
      mrn,
      grn,
      node: u.node,
      problem:
        reported === undefined
          ? `holds ${u.amount} (minor units) for a movement of ${u.departureCountry} that reports nothing held abroad (${state ?? 'not found'})`
          : `holds ${u.amount}; departure reports ${reported}`,
    });
  }
  const audited = new Set(Object.values(snapshot.nodes).map((n) => n.country));
  for (const [key, amount] of reportedAbroad) {
    const [mrn, grn] = key.split(' ') as [string, string];
    if (!uses.has(key) && audited.has(guaranteeCountry(grn))) {
      f.add('useMismatch', {
        mrn,
        grn,
        node: guaranteeCountry(grn),
        problem: `departure reports ${amount} (minor units) held abroad; the guarantee's node holds nothing for it`,
      });
    }
  }
  return f.result(ID, TITLE, checked);
}
