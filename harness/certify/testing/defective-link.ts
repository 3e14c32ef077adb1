// Deliberately non-conforming nodes for tests: the reference node behind a
// tampering WebSocket link to ICE, so certification can be shown to fail
// exactly the requirements each defect breaks.
//  - 'applies-duplicates': a redelivery reaches the node under a fresh id, so it is applied again;
//  - 'accepts-forged-sender': the node's SENDER_NOT_DESIGNATED rejections are acknowledged as applied;
//  - 'loses-on-drop': when ICE drops the connection, sends ICE had not confirmed are confirmed
//    to the node anyway, so it never sends them again.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

export type LinkDefect = 'applies-duplicates' | 'accepts-forged-sender' | 'loses-on-drop';

export interface DefectiveLink {
  /** ws:// URL the node connects to instead of ICE. */
  url: string;
  close(): Promise<void>;
}

// Frames pass through as parsed JSON; only the fields a defect touches are read.
type Frame = any;

export async function startDefectiveLink(o: { iceUrl: string; defect: LinkDefect }): Promise<DefectiveLink> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, path: new URL(o.iceUrl).pathname });
  wss.on('connection', (node, req) => {
    const ice = new WebSocket(o.iceUrl, { headers: { authorization: req.headers.authorization ?? '' } });
    const early: string[] = [];
    const renamed = new Map<string, string>();
    const unconfirmed = new Set<string>();
    const toIce = (f: Frame) => {
      const text = JSON.stringify(f);
      if (ice.readyState === WebSocket.OPEN) ice.send(text);
      else early.push(text);
    };
    ice.on('open', () => early.splice(0).forEach((t) => ice.send(t)));
    ice.on('unexpected-response', () => node.terminate());
    ice.on('error', () => node.terminate());
    ice.on('close', () => {
      if (o.defect !== 'loses-on-drop') return node.terminate();
      for (const ref of unconfirmed) node.send(JSON.stringify({ type: 'stored', ref, duplicate: false }));
      // A closing handshake, so the false confirmations reach the node before the connection ends.
      node.close();
    });
    node.on('close', () => ice.terminate());
    ice.on('message', (data) => {
      const f: Frame = JSON.parse(String(data));
      if (f.type === 'stored') unconfirmed.delete(f.ref);
      if (o.defect === 'applies-duplicates' && f.type === 'deliver' && f.redelivery) {
        const fresh = randomUUID();
        renamed.set(fresh, f.message.id);
        f.message = { ...f.message, id: fresh };
      }
      node.send(JSON.stringify(f));
    });
    node.on('message', (data) => {
      const f: Frame = JSON.parse(String(data));
      if (f.type === 'send') unconfirmed.add(f.message?.id);
      if (f.type === 'ack' && renamed.has(f.ref)) f.ref = renamed.get(f.ref);
      if (o.defect === 'accepts-forged-sender' && f.type === 'ack' && f.rejected?.code === 'SENDER_NOT_DESIGNATED')
        delete f.rejected;
      toIce(f);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}${new URL(o.iceUrl).pathname}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
