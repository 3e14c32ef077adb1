// latency: every chunk passes `latency` ms (± `jitter`) after it arrived; order is kept.
import type { Static } from '@sinclair/typebox';
import { sleep, type LatencyToxic, type ToxicStage } from '../toxic.ts';

export function latency({ latency, jitter = 0 }: Static<typeof LatencyToxic>['attributes']): ToxicStage {
  return {
    async pass(chunk, arrivedAt) {
      const delay = latency + (Math.random() * 2 - 1) * jitter;
      await sleep(arrivedAt + delay - Date.now());
      return chunk;
    },
  };
}
