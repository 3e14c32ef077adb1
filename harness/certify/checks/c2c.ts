// The node's side of the customs-to-customs exchange, played by the region.
import { senderProblems, type IceMessageType } from '../../../reference/spec/ice/catalogue.ts';
import { validateIceMessage } from '../../../reference/spec/ice/validate.ts';
import type { Check } from '../check.ts';
import { departureJourney, type Delivery, type DepartureJourney } from '../departure-journey.ts';
import { foreignJourney } from '../foreign-journey.ts';
import { Finding, notApplicable, type Outcome } from '../outcome.ts';
import type { Session } from '../session.ts';

const sentByNode = (message: unknown, note?: string) => ({
  kind: 'message' as const,
  direction: 'from-node' as const,
  message,
  note,
});

function seeDelivery(f: Finding, d: Delivery, note: string): void {
  f.see({ kind: 'message', direction: 'to-node', message: d.message, ack: d.ack ?? d.error, note });
  if (d.after) f.see(d.after);
}

/** Runs `judge` on the departure journey, or not-applicable when the journey could not be run at all. */
async function onJourney(s: Session, judge: (j: DepartureJourney, f: Finding) => Outcome): Promise<Outcome> {
  const j = await departureJourney(s);
  if (j.unavailable && !j.lodged) return notApplicable(j.unavailable);
  const f = new Finding();
  for (const e of j.finding.evidence) if (e.kind === 'note') f.see(e);
  return judge(j, f);
}

/** Acknowledged as rejected with `code`, and the movement left as it was. */
function refused(f: Finding, d: Delivery | undefined, code: string, what: string, before?: string): boolean {
  if (!d) return f.expect(false, `no ${what} could be built for this country`);
  seeDelivery(f, d, what);
  const ok = f.expect(
    d.ack?.rejected?.code === code,
    `${what}: acknowledged ${d.ack ? JSON.stringify(d.ack.rejected ?? 'as applied') : d.error}, not rejected with ${code}`,
  );
  if (before) f.expect(d.after?.body?.state === before, `${what} changed the movement to ${d.after?.body?.state}`);
  return ok;
}

/**
 * A check that the node refuses one of the departure journey's bad deliveries with `code`;
 * a delivery about the journey's movement must also leave that movement as it was.
 */
function refusalCheck(
  requirement: string,
  delivery: 'outOfSequence' | 'forged' | 'misaddressed' | 'unknown',
  code: string,
  what: string,
): Check {
  return {
    requirement,
    step: 'conformance',
    run: (s) =>
      onJourney(s, (j, f) => {
        const unchanged = delivery === 'unknown' ? undefined : j.crossing ? 'IN_TRANSIT' : 'RELEASED';
        refused(f, j[delivery], code, what, unchanged);
        return f.outcome(`rejected with ${code}${unchanged ? ', movement unchanged' : ''}`);
      }),
  };
}

export const checks: Check[] = [
  {
    requirement: 'C2C-CREDENTIAL',
    step: 'conformance',
    async run(s) {
      const f = new Finding();
      f.note(
        `connections taken: ${s.ice.connections}; upgrades refused for a wrong credential: ${s.ice.refusedUpgrades}`,
      );
      f.expect(s.ice.connections > 0, 'the node never connected to ICE with its credential');
      return f.outcome('connected with its node credential');
    },
  },
  {
    requirement: 'C2C-RELEASE-RECORDS',
    step: 'conformance',
    run: (s) =>
      onJourney(s, (j, f) => {
        for (const r of j.releaseRecords) f.see(sentByNode(r.message));
        for (const e of j.expected)
          f.expect(
            j.releaseRecords.some((r) => r.message.type === e.type && r.message.recipient.office === e.office),
            `no ${e.type} to ${e.office}`,
          );
        return f.outcome(
          `${j.expected.map((e) => `${e.type} → ${e.office}`).join(', ')} on release of ${j.lodged?.mrn}`,
        );
      }),
  },
  {
    requirement: 'C2C-MOVEMENT-EVENTS-IN',
    step: 'conformance',
    run: (s) =>
      onJourney(s, (j, f) => {
        if (j.crossing) {
          seeDelivery(f, j.crossing, 'crossing at the office of transit');
          f.expect(
            !j.crossing.ack?.rejected && j.crossing.after?.body?.crossedOffices?.includes(j.transitOffice),
            'IE118 not applied',
          );
        }
        for (const [d, state] of [
          [j.arrival, 'ARRIVED'],
          [j.control, 'WRITTEN_OFF'],
        ] as const) {
          if (!d) continue;
          seeDelivery(f, d, `${d.message.type} from the office of destination`);
          f.expect(
            !d.ack?.rejected && !d.error && d.after?.body?.state === state,
            `${d.message.type}: state ${d.after?.body?.state}, expected ${state} (${d.error ?? JSON.stringify(d.ack?.rejected ?? '')})`,
          );
        }
        return f.outcome('IE118, IE006 and IE018 applied: written off');
      }),
  },
  {
    requirement: 'C2C-WRITE-OFF-OUT',
    step: 'conformance',
    run: (s) =>
      onJourney(s, (j, f) => {
        for (const r of j.writeOffs) f.see(sentByNode(r.message));
        for (const e of j.expected)
          f.expect(
            j.writeOffs.some((r) => r.message.recipient.office === e.office),
            `no IE045 to ${e.office}`,
          );
        return f.outcome('IE045 to every office that had an anticipated record');
      }),
  },
  {
    requirement: 'C2C-EXACTLY-ONCE',
    step: 'conformance',
    run: (s) =>
      onJourney(s, (j, f) => {
        if (!j.duplicate || !j.crossing) return notApplicable('the route declares no office of transit abroad');
        seeDelivery(f, j.crossing, 'first delivery');
        seeDelivery(f, j.duplicate, 'redelivery of the same message id');
        f.expect(
          Boolean(j.duplicate.ack) && !j.duplicate.ack?.rejected,
          `the redelivery was acknowledged ${JSON.stringify(j.duplicate.ack ?? j.duplicate.error)}, not as applied before`,
        );
        const crossed: string[] = j.duplicate.after?.body?.crossedOffices ?? [];
        f.expect(
          crossed.filter((o) => o === j.transitOffice).length === 1,
          `crossings recorded: ${JSON.stringify(crossed)}`,
        );
        return f.outcome('the redelivered IE118 was acknowledged and not applied again');
      }),
  },
  refusalCheck('C2C-OUT-OF-SEQUENCE', 'outOfSequence', 'ILLEGAL_TRANSITION', 'IE018 before any arrival advice'),
  refusalCheck(
    'C2C-FORGED-SENDER',
    'forged',
    'SENDER_NOT_DESIGNATED',
    'IE006 from an office that is not the office of destination',
  ),
  refusalCheck('C2C-WRONG-RECIPIENT', 'misaddressed', 'WRONG_RECIPIENT', 'IE006 addressed to another country'),
  refusalCheck('C2C-UNKNOWN-MOVEMENT', 'unknown', 'UNKNOWN_MOVEMENT', 'IE006 for an MRN the node does not hold'),
  {
    requirement: 'C2C-ANTICIPATED-RECORDS',
    step: 'conformance',
    async run(s) {
      const j = await foreignJourney(s);
      if (j.movements.length === 0)
        return notApplicable(`no corridor route from another country of the exchange reaches ${s.country}`);
      const f = new Finding();
      for (const m of j.movements) {
        f.see({ kind: 'message', direction: 'to-node', message: m.record, ack: m.ack });
        if (m.view) f.see(m.view);
        f.expect(Boolean(m.ack) && !m.ack?.rejected, `the ${m.record.type} was acknowledged ${JSON.stringify(m.ack)}`);
        f.expect(
          m.view?.body?.role === m.role && m.view?.body?.state === 'RELEASED',
          `${m.mrn} shows role ${m.view?.body?.role}, state ${m.view?.body?.state}`,
        );
      }
      return f.outcome(j.movements.map((m) => `${m.record.type}: ${m.role} copy of ${m.mrn} RELEASED`).join('; '));
    },
  },
  {
    requirement: 'C2C-MOVEMENT-EVENTS-OUT',
    step: 'conformance',
    async run(s) {
      const j = await foreignJourney(s);
      if (j.movements.length === 0)
        return notApplicable(`no corridor route from another country of the exchange reaches ${s.country}`);
      const f = new Finding();
      for (const e of j.finding.evidence) f.see(e);
      for (const m of j.movements) {
        for (const a of m.steps) f.see(a);
        for (const r of m.sent) f.see(sentByNode(r.message));
        const want = m.role === 'transit' ? ['IE118'] : ['IE006', 'IE018'];
        f.expect(
          JSON.stringify(m.sent.map((r) => r.message.type)) === JSON.stringify(want),
          `${m.mrn} (${m.role}): sent ${m.sent.map((r) => r.message.type).join(', ') || 'nothing'}, expected ${want.join(', ')}`,
        );
        f.expect(
          m.sent.every((r) => r.message.recipient.office === m.record.sender.office),
          'not addressed to the office of departure',
        );
      }
      return f.outcome('IE118 as office of transit, IE006 and IE018 as office of destination');
    },
  },
  {
    requirement: 'C2C-WRITE-OFF-IN',
    step: 'conformance',
    async run(s) {
      const j = await foreignJourney(s);
      if (j.movements.length === 0)
        return notApplicable(`no corridor route from another country of the exchange reaches ${s.country}`);
      const f = new Finding();
      for (const m of j.movements) {
        if (m.closed) f.see(m.closed);
        f.expect(
          Boolean(m.writeOffAck) && !m.writeOffAck?.rejected && m.closed?.body?.state === 'WRITTEN_OFF',
          `${m.mrn}: after IE045 ${m.closed?.body?.state} (${JSON.stringify(m.writeOffAck)})`,
        );
      }
      return f.outcome('IE045 closed every copy');
    },
  },
  {
    requirement: 'C2C-ORDER',
    step: 'conformance',
    last: true,
    async run(s) {
      const f = new Finding();
      const byMrn = new Map<string, string[]>();
      for (const r of s.ice.received) {
        const key = `${r.message?.mrn} → ${r.message?.recipient?.office}`;
        byMrn.set(key, [...(byMrn.get(key) ?? []), String(r.message?.type)]);
      }
      const rank: Record<string, number> = { IE001: 0, IE050: 0, IE118: 1, IE006: 2, IE018: 3, IE045: 4 };
      let movements = 0;
      for (const [key, types] of byMrn) {
        const distinct = types.filter((t, i) => t !== types[i - 1]);
        movements++;
        const ranks = distinct.map((t) => rank[t] ?? 0);
        if (
          !f.expect(
            ranks.every((r, i) => i === 0 || r >= ranks[i - 1]!),
            `${key}: sent ${distinct.join(', ')}`,
          )
        )
          f.note(`${key}: ${types.join(', ')}`);
      }
      const j = await departureJourney(s);
      if (j.control?.after) f.see(j.control.after);
      f.note(`${movements} movement-and-office streams judged`);
      return f.outcome(`every movement's messages in the order of its state changes (${movements} streams)`);
    },
  },
  {
    requirement: 'C2C-OUTGOING-VALID',
    step: 'conformance',
    last: true,
    async run(s) {
      const f = new Finding();
      let bad = 0;
      for (const r of s.ice.received) {
        const v = validateIceMessage(r.message);
        const problems =
          'errors' in v ? v.errors : senderProblems({ ...r.message, type: r.message.type as IceMessageType });
        if (problems.length > 0 && bad++ < 5) f.see(sentByNode(r.message, JSON.stringify(problems.slice(0, 5))));
      }
      f.expect(bad === 0, `${bad} of ${s.ice.received.length} messages invalid`);
      if (s.ice.received[0]) f.see(sentByNode(s.ice.received[0].message, 'first message received'));
      f.expect(s.ice.received.length > 0, 'the node sent no message to judge');
      return f.outcome(`${s.ice.received.length} messages valid against their schema and the sender rule`);
    },
  },
  {
    requirement: 'C2C-DURABLE-BEFORE-SEND',
    step: 'conformance',
    last: true,
    async run(s, state) {
      const probes = state.probes ?? [];
      if (probes.length === 0) return notApplicable('the node sent no message whose state could be read');
      const f = new Finding();
      const early = probes.filter((p) => !p.ok);
      for (const p of early.slice(0, 5)) {
        f.see(sentByNode(p.received.message, 'state read through C2B as it arrived:'));
        f.see(p.view);
      }
      if (early.length === 0) {
        f.see(sentByNode(probes[0]!.received.message, 'state read through C2B as it arrived:'));
        f.see(probes[0]!.view);
      }
      f.expect(
        early.length === 0,
        `${early.length} of ${probes.length} messages arrived before their state was visible`,
      );
      return f.outcome(`${probes.length} messages: each state already visible on arrival`);
    },
  },
];
