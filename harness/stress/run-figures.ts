// Figures the end-of-test summary cannot give, read from the run's time series
// (`--out timeseries=FILE`: one line per metric, second and tag set): the CTD
// submission rate second by second, so the verdict shows the rate actually
// held beside the target, and rejections by every code seen.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface RunFigures {
  /** CTD submissions in each second, from the first one. */
  submissionsPerSecond: number[];
  /** Highest average submission rate over `window` consecutive seconds. */
  peakRate: number;
  window: number;
  /** ctd_rejected by its `code` tag. */
  rejectedByCode: Record<string, number>;
}

interface BucketLine {
  t?: number;
  m?: string;
  k?: Record<string, string> | null;
  sum?: number;
}

export async function runFigures(file: string, window = 5): Promise<RunFigures> {
  const perSecondAt = new Map<number, number>();
  const rejectedByCode: Record<string, number> = {};
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    // Cheap filter before parsing: most lines are other metrics.
    if (!line.includes('"m":"http_reqs"') && !line.includes('"m":"ctd_rejected"')) continue;
    const b = JSON.parse(line) as BucketLine;
    if (b.t === undefined || !b.k || b.sum === undefined) continue;
    if (b.m === 'http_reqs' && b.k.operation === 'ctd_submit')
      perSecondAt.set(b.t, (perSecondAt.get(b.t) ?? 0) + b.sum);
    else if (b.m === 'ctd_rejected' && b.k.code) rejectedByCode[b.k.code] = (rejectedByCode[b.k.code] ?? 0) + b.sum;
  }
  const seconds = [...perSecondAt.keys()];
  const first = seconds.length ? Math.min(...seconds) : 0;
  const last = seconds.length ? Math.max(...seconds) : -1;
  const perSecond: number[] = [];
  for (let t = first; t <= last; t++) perSecond.push(perSecondAt.get(t) ?? 0);
  const w = Math.max(1, Math.min(window, perSecond.length));
  let sum = perSecond.slice(0, w).reduce((a, b) => a + b, 0);
  let best = sum;
  for (let i = w; i < perSecond.length; i++) {
    sum += perSecond[i]! - perSecond[i - w]!;
    best = Math.max(best, sum);
  }
  return { submissionsPerSecond: perSecond, peakRate: best / w, window: w, rejectedByCode };
}
