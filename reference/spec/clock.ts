// The business clock a part runs on: limit dates, enquiry and recovery
// periods and business timestamps follow it; protocol timers do not.
import { Type, type Static } from '@sinclair/typebox';

export const Clock = Type.Object({
  now: Type.String({ format: 'date-time', description: 'Business time now' }),
  factor: Type.Number({ description: 'Business seconds per real second (1: real time)' }),
  epoch: Type.String({ format: 'date-time', description: 'Real instant at which business time equals real time' }),
  controllable: Type.Boolean({
    description: 'true: this deployment runs business time at a factor it was started with (time travel possible)',
  }),
});

export type Clock = Static<typeof Clock>;
