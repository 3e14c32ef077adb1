// slow_close: the sender's close passes on only `delay` ms later.
import type { Static } from '@sinclair/typebox';
import { sleep, type SlowCloseToxic, type ToxicStage } from '../toxic.ts';

export function slowClose({ delay }: Static<typeof SlowCloseToxic>['attributes']): ToxicStage {
  return {
    ending: () => sleep(delay),
  };
}
