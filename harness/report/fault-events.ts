// Faults injected during a run, as the run folder records them: one line per
// edge (start, end) appended to timeseries.ndjson after the engine's own lines,
// and faults.json with the same events and the recovery figures. A fault line
// carries `type`, so readers that take only untyped lines as buckets skip it.
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FaultRecovery } from './fault-recovery.ts';

export const FAULTS_FILE = 'faults.json';

export const FaultEventLine = Type.Object({
  type: Type.Literal('event'),
  event: Type.Literal('fault'),
  /** Wall time, epoch seconds (fractional), comparable with the buckets' `t`. */
  t: Type.Number(),
  fault: Type.Union(['kill', 'pause', 'cut', 'latency', 'reset', 'bandwidth'].map((f) => Type.Literal(f))),
  /** `ice`, `node/GE`, `db`, or a link such as `clients-GE`. */
  target: Type.String(),
  phase: Type.Union([Type.Literal('start'), Type.Literal('end')]),
  /** False when the fault could not be applied (or a killed part was not seen running again). */
  ok: Type.Boolean(),
  detail: Type.Optional(Type.String()),
  pid: Type.Optional(Type.Integer()),
  /** The part's restarts as the supervisor recorded them at this edge. */
  restarts: Type.Optional(Type.Integer({ minimum: 0 })),
  /** On a start: the recovery limit, seconds after the fault's end by which every backlog must be drained. */
  recoverWithin: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
});
export type FaultEventLine = Static<typeof FaultEventLine>;

/** A fault edge as the injector records it (wall time in epoch ms). */
export interface FaultEdge extends Omit<FaultEventLine, 'type' | 'event' | 't'> {
  t: number;
}

export const faultLine = (edge: FaultEdge): FaultEventLine => ({
  type: 'event',
  event: 'fault',
  ...edge,
  t: edge.t / 1000,
});

export function isFaultLine(obj: unknown): obj is FaultEventLine {
  return Value.Check(FaultEventLine, obj);
}

/** Appends the fault edges, in time order, to a finished timeseries.ndjson. */
export async function appendFaultEvents(timeseriesFile: string, edges: FaultEdge[]): Promise<FaultEventLine[]> {
  const lines = [...edges].sort((a, b) => a.t - b.t).map(faultLine);
  if (lines.length) await appendFile(timeseriesFile, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return lines;
}

export interface FaultsFile {
  events: FaultEventLine[];
  recovery: FaultRecovery[];
}

export async function writeFaultsFile(dir: string, content: FaultsFile): Promise<void> {
  await writeFile(path.join(dir, FAULTS_FILE), `${JSON.stringify(content, null, 2)}\n`);
}
