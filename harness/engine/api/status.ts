// k6's REST API v1 status resource (grafana/k6 v0.49.0 api/v1/status.go, status_jsonapi.go) and
// its execution status numbers (lib/execution.go ExecutionStatus).
import { Type, type Static } from '@sinclair/typebox';

/** k6's lib.ExecutionStatus values, in its order. */
export const ExecutionStatus = {
  Created: 0,
  InitVUs: 1,
  InitExecutors: 2,
  InitDone: 3,
  PausedBeforeRun: 4,
  Started: 5,
  Setup: 6,
  Running: 7,
  Teardown: 8,
  Ended: 9,
  Interrupted: 10,
} as const;
export type ExecutionStatusValue = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];

export const StatusAttributes = Type.Object({
  status: Type.Integer({ minimum: 0, maximum: 10 }),
  paused: Type.Union([Type.Boolean(), Type.Null()]),
  vus: Type.Union([Type.Integer(), Type.Null()]),
  'vus-max': Type.Union([Type.Integer(), Type.Null()]),
  stopped: Type.Boolean(),
  running: Type.Boolean(),
  tainted: Type.Boolean(),
});
export type StatusAttributes = Static<typeof StatusAttributes>;

/** What a PATCH may change: k6 reads `paused` and `stopped` (and vus/vus-max for externally-controlled, which the engine has not). */
export const StatusPatch = Type.Object({
  data: Type.Object({
    type: Type.Optional(Type.String()),
    id: Type.Optional(Type.String()),
    attributes: Type.Object({
      paused: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
      stopped: Type.Optional(Type.Boolean()),
      vus: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
      'vus-max': Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    }),
  }),
});
export type StatusPatch = Static<typeof StatusPatch>;

/** The JSON:API envelope k6 answers with. */
export function statusDocument(attributes: StatusAttributes): {
  data: { type: 'status'; id: 'default'; attributes: StatusAttributes };
} {
  return { data: { type: 'status', id: 'default', attributes } };
}
