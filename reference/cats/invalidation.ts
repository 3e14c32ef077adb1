// Invalidation by customs after release (NCTS: the holder's IE014 is refused
// once released, but customs may still invalidate, IE009): until the goods
// arrive, an officer of departure invalidates the movement; the guarantee is
// given back and the offices sent anticipated records are told (IE010).
import { invalidationMessages } from './c2c-messages.ts';
import type { NodeContext } from './context.ts';
import { notifiedOffices, requireOfficerAt, runStep } from './lifecycle.ts';
import type { Principal } from './principal.ts';
import { notFound } from './rejection.ts';

export const invalidateMovement = (ctx: NodeContext, p: Principal, mrn: string, reason: string) =>
  runStep(ctx, mrn, (m) => {
    if (m.role !== 'departure') throw notFound(`movement ${mrn}`);
    requireOfficerAt(p, m.departureOffice);
    return {
      events: [{ type: 'invalidate' }],
      giveBack: true,
      messages: invalidationMessages(ctx, notifiedOffices(m), ctx.now(), reason),
    };
  });
