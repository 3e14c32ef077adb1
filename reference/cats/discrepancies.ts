// Discrepancies: non-conform control results hold a movement in DISCREPANCIES
// (the holder is notified, as by IE019) until an officer of departure decides:
// resolved (written off, guarantee given back) or recovery (./recovery.ts).
import type { NodeContext } from './context.ts';
import { dischargeStep, requireOfficerAt, runStep } from './lifecycle.ts';
import type { Principal } from './principal.ts';
import { notFound } from './rejection.ts';

export const resolveDiscrepancies = (ctx: NodeContext, p: Principal, mrn: string) =>
  runStep(ctx, mrn, (m) => {
    if (m.role !== 'departure') throw notFound(`movement ${mrn}`);
    requireOfficerAt(p, m.departureOffice);
    return dischargeStep(ctx, m, [{ type: 'resolveDiscrepancies' }, { type: 'writeOff' }]);
  });
