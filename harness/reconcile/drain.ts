// Before the audit: wait, bounded, until the queues between the parts have
// settled, read from their public /metrics: ICE holds nothing stored and
// unacknowledged for a node of the deployment, every node is connected to ICE,
// and each node's outbox is empty or has sent nothing for a while (messages ICE
// refused — e.g. for a country outside the exchange — stay there for good).
// Settled at two polls in a row, so a message applied meanwhile (control
// results → write-off notification) has had its own outbox entry counted.
import { parseExposition, type Samples } from '../stress/metrics-exposition.ts';
import type { DeploymentFile } from '../deploy/deployment-file.ts';

export interface DrainResult {
  drained: boolean;
  waitedSeconds: number;
  detail: string;
}

/** A part's figures: undefined when it serves metrics without them; 'down' when it does not answer. */
type Figure = number | undefined | 'down';

export interface Backlog {
  /** Messages in each node's outbox not yet taken by ICE. */
  outboxes: Record<string, Figure>;
  /** Messages ICE holds for the deployment's nodes, stored or delivered and not yet acknowledged. */
  ice?: Figure;
  /** Nodes of the deployment not connected to ICE (when ICE gives the figure). */
  disconnected: string[];
}

/** A part that does not answer may be restarting: it is waited for, unlike one that answers without the figure. */
async function scrape(url: string, wanted: string[]): Promise<Samples | 'down'> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) return 'down';
    return parseExposition(await res.text(), wanted);
  } catch {
    return 'down';
  }
}

const countryOf = (labels: string, name: string) => new RegExp(`${name}="([A-Z]{2})"`).exec(labels)?.[1];

export async function backlog(d: DeploymentFile): Promise<Backlog> {
  const outboxes: Backlog['outboxes'] = {};
  await Promise.all(
    Object.entries(d.nodes).map(async ([country, node]) => {
      const s = await scrape(`${node.url}/metrics`, ['cats_outbox_pending_messages']);
      outboxes[country] = s === 'down' ? s : s.get('cats_outbox_pending_messages')?.[0]?.value;
    }),
  );
  if (!d.ice?.httpUrl) return { outboxes, disconnected: [] };
  const s = await scrape(`${d.ice.httpUrl}/metrics`, ['ice_queue_depth', 'ice_in_flight', 'ice_connections']);
  if (s === 'down') return { outboxes, ice: 'down', disconnected: [] };
  const forNodes = (name: string, label: string) => {
    const samples = s.get(name);
    if (!samples) return undefined;
    return samples.filter((q) => (countryOf(q.labels, label) ?? '') in d.nodes).reduce((sum, q) => sum + q.value, 0);
  };
  const depth = forNodes('ice_queue_depth', 'recipient_country');
  const inFlight = forNodes('ice_in_flight', 'recipient_country');
  const connections = s.get('ice_connections');
  const connected = new Set(connections?.filter((c) => c.value > 0).map((c) => countryOf(c.labels, 'country')));
  return {
    outboxes,
    ice: depth === undefined ? undefined : depth + (inFlight ?? 0),
    disconnected: connections ? Object.keys(d.nodes).filter((c) => !connected.has(c)) : [],
  };
}

const show = (n: Figure) => (n === undefined ? '?' : n === 'down' ? 'not answering' : String(n));

function text(b: Backlog, settledLeft: string[]): string {
  const parts = Object.entries(b.outboxes).map(([c, n]) => `outbox ${c} ${show(n)}`);
  if (b.ice !== undefined) parts.push(`ICE queue ${show(b.ice)}`);
  if (b.disconnected.length) parts.push(`not connected to ICE: ${b.disconnected.join(', ')}`);
  if (settledLeft.length) parts.push(`left unsent for good (refused by ICE?): ${settledLeft.join(', ')}`);
  return parts.join(', ');
}

/**
 * Polls the backlog until it has settled twice in a row, or `timeoutMs` passes. An outbox
 * that is not empty counts as settled once it has not changed for `settleMs` while ICE is
 * connected and holds nothing for the nodes. Parts giving no figure are named in the detail.
 */
export async function waitForDrain(
  d: DeploymentFile,
  opts: { timeoutMs: number; intervalMs?: number; settleMs?: number; progress?: (line: string) => void },
): Promise<DrainResult> {
  const started = Date.now();
  const interval = opts.intervalMs ?? 500;
  const settleMs = opts.settleMs ?? 3000;
  /** Per node: its outbox figure and since when it has had it. */
  const since = new Map<string, { n: Figure; at: number }>();
  let settledInARow = 0;
  let lastShown = started;
  for (;;) {
    const now = Date.now();
    const b = await backlog(d);
    const left: string[] = [];
    let settled = b.ice !== 'down' && (b.ice === undefined || b.ice === 0) && b.disconnected.length === 0;
    for (const [country, n] of Object.entries(b.outboxes)) {
      const prev = since.get(country);
      if (!prev || prev.n !== n) since.set(country, { n, at: now });
      if (n === 'down') settled = false;
      else if (typeof n === 'number' && n > 0) {
        if (now - since.get(country)!.at >= settleMs) left.push(`${country} ${n}`);
        else settled = false;
      }
    }
    settledInARow = settled ? settledInARow + 1 : 0;
    const waited = (Date.now() - started) / 1000;
    if (settledInARow >= 2) return { drained: true, waitedSeconds: waited, detail: text(b, left) };
    if (Date.now() - started >= opts.timeoutMs)
      return {
        drained: false,
        waitedSeconds: waited,
        detail: `still waiting after ${waited.toFixed(0)} s: ${text(b, [])}`,
      };
    if (opts.progress && Date.now() - lastShown >= 2000) {
      lastShown = Date.now();
      opts.progress(`draining (${waited.toFixed(0)} s): ${text(b, [])}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
