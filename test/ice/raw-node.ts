// A node connection driven frame by frame, to observe the protocol exactly.
import WebSocket from 'ws';

export interface RawNode {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  /** Resolves with the first frame (already received or coming) that matches. */
  next(match: (f: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  sendText(text: string): void;
  close(): Promise<void>;
}

export async function rawNode(url: string, token: string, opts: { answerPings?: boolean } = {}): Promise<RawNode> {
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, autoPong: opts.answerPings ?? true });
  const frames: Record<string, unknown>[] = [];
  const waiters: { match: (f: Record<string, unknown>) => boolean; resolve: (f: Record<string, unknown>) => void }[] =
    [];
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString()) as Record<string, unknown>;
    frames.push(f);
    for (const w of [...waiters]) {
      if (w.match(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const node: RawNode = {
    ws,
    frames,
    next(match, timeoutMs = 10_000) {
      const seen = frames.find(match);
      if (seen) {
        frames.splice(frames.indexOf(seen), 1);
        return Promise.resolve(seen);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (f) => {
            clearTimeout(timer);
            frames.splice(frames.indexOf(f), 1);
            resolve(f);
          },
        });
      });
    },
    sendText: (text) => ws.send(text),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
  await node.next((f) => f.type === 'welcome');
  return node;
}
