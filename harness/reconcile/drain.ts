// Before the audit: wait, bounded, until the queues between the parts are empty
// — every node's outbox sent and ICE holding nothing unacknowledged for a node
// of the deployment — read from their public /metrics. Empty twice in a row, so
// a message applied meanwhile (e.g. control results → write-off notification)
// has had its own outbox entry counted.
import { parseExposition } from '../stress/metrics-exposition.ts';
import type { DeploymentFile } from '../deploy/deployment-file.ts';

export interface DrainResult {
  drained: boolean;
  waitedSeconds: number;
  detail: string;
}

export interface Backlog {
  /** Per part: messages waiting; undefined when it serves metrics without that figure; 'down' when it does not answer. */
  parts: Record<string, number | undefined | 'down'>;
}

/** A part that does not answer may be restarting: it is waited for, unlike one that answers without the figure. */
async function scrape(url: string, wanted: string[]) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) return 'down' as const;
    return parseExposition(await res.text(), wanted);
  } catch {
    return 'down' as const;
  }
}

/** Messages waiting in each node's outbox and in ICE's queues for the deployment's nodes. */
export async function backlog(d: DeploymentFile): Promise<Backlog> {
  const parts: Backlog['parts'] = {};
  await Promise.all(
    Object.entries(d.nodes).map(async ([country, node]) => {
      const s = await scrape(`${node.url}/metrics`, ['cats_outbox_pending_messages']);
      parts[`outbox ${country}`] = s === 'down' ? s : s.get('cats_outbox_pending_messages')?.[0]?.value;
    }),
  );
  if (d.ice?.httpUrl) {
    const s = await scrape(`${d.ice.httpUrl}/metrics`, ['ice_queue_depth', 'ice_in_flight']);
    const depths = s === 'down' ? undefined : s.get('ice_queue_depth');
    parts['ICE queue'] =
      s === 'down'
        ? s
        : depths
          ? depths
              .filter((q) => {
                const c = /recipient_country="([A-Z]{2})"/.exec(q.labels)?.[1];
                return c !== undefined && c in d.nodes;
              })
              .reduce((sum, q) => sum + q.value, 0)
          : undefined;
  }
  return { parts };
}

const text = (b: Backlog) =>
  Object.entries(b.parts)
    .map(([part, n]) => `${part} ${n === undefined ? '?' : n === 'down' ? 'not answering' : n}`)
    .join(', ');

/**
 * Polls the backlog until it is empty twice in a row, or `timeoutMs` passes.
 * Parts giving no figure are waited on for nothing and named in the detail.
 */
export async function waitForDrain(
  d: DeploymentFile,
  opts: { timeoutMs: number; intervalMs?: number; progress?: (line: string) => void },
): Promise<DrainResult> {
  const started = Date.now();
  const interval = opts.intervalMs ?? 500;
  let emptyInARow = 0;
  let lastShown = 0;
  let last: Backlog = { parts: {} };
  for (;;) {
    last = await backlog(d);
    const figures = Object.values(last.parts);
    const waiting = figures.some((n) => n === 'down')
      ? Infinity
      : figures.reduce<number>((a, b) => a + (typeof b === 'number' ? b : 0), 0);
    emptyInARow = waiting === 0 ? emptyInARow + 1 : 0;
    const waited = (Date.now() - started) / 1000;
    const unknown = Object.entries(last.parts)
      .filter(([, n]) => n === undefined)
      .map(([p]) => p);
    const note = unknown.length ? `; no figure from ${unknown.join(', ')}` : '';
    if (emptyInARow >= 2) return { drained: true, waitedSeconds: waited, detail: `empty: ${text(last)}${note}` };
    if (Date.now() - started >= opts.timeoutMs)
      return {
        drained: false,
        waitedSeconds: waited,
        detail: `still waiting after ${waited.toFixed(0)} s: ${text(last)}`,
      };
    if (opts.progress && Date.now() - lastShown >= 2000) {
      lastShown = Date.now();
      opts.progress(`draining (${waited.toFixed(0)} s): ${text(last)}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
