// limit_data: the connection is closed once `bytes` bytes have passed in this direction.
import type { Static } from '@sinclair/typebox';
import type { LimitDataToxic, ToxicStage } from '../toxic.ts';

export function limitData({ bytes }: Static<typeof LimitDataToxic>['attributes']): ToxicStage {
  let passed = 0;
  return {
    pass(chunk) {
      const left = bytes - passed;
      if (chunk.length < left) {
        passed += chunk.length;
        return chunk;
      }
      passed = bytes;
      return { data: chunk.subarray(0, left), thenClose: true };
    },
  };
}
