// bandwidth: at most `rate` KB/s; a chunk waits as long as its size takes at that rate.
import type { Static } from '@sinclair/typebox';
import { sleep, type BandwidthToxic, type ToxicStage } from '../toxic.ts';

export function bandwidth({ rate }: Static<typeof BandwidthToxic>['attributes']): ToxicStage {
  const bytesPerMs = rate; // 1 KB/s = 1000 B/s = 1 B/ms
  return {
    async pass(chunk) {
      await sleep(chunk.length / bytesPerMs);
      return chunk;
    },
  };
}
