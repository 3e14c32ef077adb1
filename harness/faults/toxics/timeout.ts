// timeout: no data passes while it is present, and the connection is closed
// after `timeout` ms; with 0 it stays open and data waits until the toxic is removed.
import type { Static } from '@sinclair/typebox';
import type { ConnectionControl, TimeoutToxic, ToxicStage } from '../toxic.ts';

export function timeout({ timeout }: Static<typeof TimeoutToxic>['attributes'], conn: ConnectionControl): ToxicStage {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const timer = timeout > 0 ? setTimeout(() => conn.close(), timeout) : undefined;
  return {
    async pass(chunk) {
      await released;
      return chunk;
    },
    async ending() {
      await released;
    },
    removed() {
      clearTimeout(timer);
      release();
    },
  };
}
