// A lodged CTD as the node records, shows and sends it: the holder's access
// codes are checked when presented and then dropped.
import type { Ctd, RecordedCtd } from '../spec/ctd.ts';

/** The CTD without its guarantee access codes (also for records stored before codes were dropped). */
export function recordedCtd(ctd: Ctd | RecordedCtd): RecordedCtd {
  return {
    ...ctd,
    guarantees: ctd.guarantees.map((g) => ({
      ...g,
      references: g.references.map((r) => {
        const { grn, amountToBeCovered, currency } = r;
        return { grn, amountToBeCovered, currency };
      }),
    })),
  };
}
