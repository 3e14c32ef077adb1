// The node's side of the ICE connection: what it does when the connection drops.
import type { Check } from '../check.ts';
import { Finding, notApplicable } from '../outcome.ts';
import { outgoingRoutes } from '../region.ts';
import { lodgeAndRelease } from '../session.ts';

export const checks: Check[] = [
  {
    requirement: 'C2C-RESEND',
    step: 'conformance',
    async run(s) {
      const route = outgoingRoutes(s.country)[0];
      if (!route) return notApplicable(`no corridor route from ${s.country} crosses another country of the exchange`);
      const f = new Finding();
      const mark = s.ice.received.length - 1;
      // ICE takes the messages of the next release (known by the LRN they carry) but never
      // confirms them, then the connection drops.
      const lrn = s.lrn('X');
      s.ice.holdBack((r) => r.message?.body?.declaration?.lrn === lrn);
      try {
        const lodged = await lodgeAndRelease(s, route, 'X', f, lrn);
        if (!lodged) return f.outcome('');
        const mrn = lodged.mrn;
        const first = await s.ice
          .waitFor((r) => r.message?.mrn === mrn, s.waitMs, `a message about ${mrn}`, mark)
          .catch((err: Error) => (f.expect(false, err.message), undefined));
        if (!first) return f.outcome('');
        f.see({
          kind: 'message',
          direction: 'from-node',
          message: first.message,
          note: 'received, not confirmed; then the connection was cut',
        });
        s.ice.cut();
        s.ice.holdBack(undefined);
        await s.ice.waitConnected(s.waitMs);
        const again = await s.ice
          .waitFor(
            (r) => r.message?.id === first.message.id && r.connection > first.connection,
            s.waitMs,
            `the resend of ${first.message.id}`,
            first.seq,
          )
          .catch((err: Error) => (f.expect(false, err.message), undefined));
        if (again)
          f.see({
            kind: 'message',
            direction: 'from-node',
            message: again.message,
            note: `sent again on connection ${again.connection}`,
          });
        return f.outcome(`${first.message.type} ${first.message.id} sent again after the reconnect`);
      } finally {
        s.ice.holdBack(undefined);
      }
    },
  },
];
