// reset_peer: the connection is reset (RST, "connection reset by peer") at
// once, or `timeout` ms after the toxic meets it.
import type { Static } from '@sinclair/typebox';
import type { ConnectionControl, ResetPeerToxic, ToxicStage } from '../toxic.ts';

export function resetPeer(
  { timeout = 0 }: Static<typeof ResetPeerToxic>['attributes'],
  conn: ConnectionControl,
): ToxicStage {
  const timer = setTimeout(() => conn.reset(), timeout);
  return {
    removed() {
      clearTimeout(timer);
    },
  };
}
