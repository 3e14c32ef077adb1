// A toxic: one fault the proxy applies to the data of a connection in one
// direction, as toxiproxy defines them (latency, bandwidth, timeout,
// reset_peer, slow_close, limit_data). `upstream` is client → server,
// `downstream` server → client; `toxicity` is the chance a connection is
// affected at all, drawn once per connection.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FaultErrorDetail } from './fault-error.ts';

const Ms = Type.Integer({ minimum: 0, description: 'milliseconds' });

const common = {
  /** Names the toxic for removal; defaults to `<type>_<stream>`. */
  name: Type.Optional(Type.String({ minLength: 1 })),
  stream: Type.Optional(Type.Union([Type.Literal('upstream'), Type.Literal('downstream')])),
  toxicity: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
};

export const LatencyToxic = Type.Object(
  {
    type: Type.Literal('latency'),
    attributes: Type.Object({ latency: Ms, jitter: Type.Optional(Ms) }, { additionalProperties: false }),
    ...common,
  },
  { additionalProperties: false },
);
export const BandwidthToxic = Type.Object(
  {
    type: Type.Literal('bandwidth'),
    attributes: Type.Object(
      { rate: Type.Number({ exclusiveMinimum: 0, description: 'KB/s' }) },
      { additionalProperties: false },
    ),
    ...common,
  },
  { additionalProperties: false },
);
export const TimeoutToxic = Type.Object(
  {
    type: Type.Literal('timeout'),
    attributes: Type.Object({ timeout: Ms }, { additionalProperties: false }),
    ...common,
  },
  { additionalProperties: false },
);
export const ResetPeerToxic = Type.Object(
  {
    type: Type.Literal('reset_peer'),
    attributes: Type.Object({ timeout: Type.Optional(Ms) }, { additionalProperties: false }),
    ...common,
  },
  { additionalProperties: false },
);
export const SlowCloseToxic = Type.Object(
  {
    type: Type.Literal('slow_close'),
    attributes: Type.Object({ delay: Ms }, { additionalProperties: false }),
    ...common,
  },
  { additionalProperties: false },
);
export const LimitDataToxic = Type.Object(
  {
    type: Type.Literal('limit_data'),
    attributes: Type.Object({ bytes: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
    ...common,
  },
  { additionalProperties: false },
);

export const ToxicSpec = Type.Union([
  LatencyToxic,
  BandwidthToxic,
  TimeoutToxic,
  ResetPeerToxic,
  SlowCloseToxic,
  LimitDataToxic,
]);
export type ToxicSpec = Static<typeof ToxicSpec>;

const byType: Record<string, TSchema> = {
  latency: LatencyToxic,
  bandwidth: BandwidthToxic,
  timeout: TimeoutToxic,
  reset_peer: ResetPeerToxic,
  slow_close: SlowCloseToxic,
  limit_data: LimitDataToxic,
};
export const toxicTypes = Object.keys(byType) as ToxicSpec['type'][];

/** What is wrong with `input` as a toxic (empty when it is one), checked against the schema its `type` names. */
export function toxicProblems(input: unknown): FaultErrorDetail[] {
  const type = (input as { type?: unknown } | null)?.type;
  const schema = typeof type === 'string' ? byType[type] : undefined;
  if (!schema) {
    return [{ code: 'invalid', pointer: '/type', message: `must be one of ${toxicTypes.join(', ')}` }];
  }
  return [...Value.Errors(schema, input)].map((e) => ({ code: 'invalid', pointer: e.path || '/', message: e.message }));
}
export type ToxicType = ToxicSpec['type'];
export type Stream = 'upstream' | 'downstream';

/** What a toxic may do to the connection it sits on. */
export interface ConnectionControl {
  /** Closes both sides (FIN). */
  close(): void;
  /** Resets both sides (RST: "connection reset by peer"). */
  reset(): void;
}

/** Passed on, dropped, or passed on as the last data before the connection closes. */
export type Passed = Buffer | null | { data: Buffer; thenClose: true };

/** A toxic at work on one connection in one direction. */
export interface ToxicStage {
  /** A chunk that arrived at `arrivedAt` (ms); resolves with what passes on. */
  pass?(chunk: Buffer, arrivedAt: number): Passed | Promise<Passed>;
  /** The sender finished; resolves when its end may pass on. */
  ending?(): Promise<void>;
  /** The toxic was removed: stop its timers, release what it holds. */
  removed?(): void;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
