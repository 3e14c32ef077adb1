// The reference node as certification starts it itself: its own database on
// the given PostgreSQL server, pointed at the ICE address certification binds.
import { randomBytes } from 'node:crypto';
import { freePort } from '../../reference/net/free-port.ts';
import { startNode, type RunningNode } from '../../reference/cats/start.ts';
import type { CertifyTarget } from './target.ts';

export interface ReferenceUnderTest {
  target: CertifyTarget;
  node: RunningNode;
  close(): Promise<void>;
}

export async function startReferenceUnderTest(o: {
  country: string;
  databaseUrl: string;
  /** Where certification's ICE listens (default: a free loopback port). */
  iceUrl?: string;
  /** Where the node connects instead, when something sits between it and ICE. */
  connectTo?: string;
}): Promise<ReferenceUnderTest> {
  const iceUrl = o.iceUrl ?? `ws://127.0.0.1:${await freePort()}/v1/ice`;
  const ice = { url: iceUrl, token: `ice-${randomBytes(18).toString('base64url')}` };
  const node = await startNode({
    country: o.country,
    databaseUrl: o.databaseUrl,
    poolSize: 10,
    ice: { url: o.connectTo ?? iceUrl, token: ice.token, log: () => undefined },
  });
  return {
    node,
    target: { country: node.country, url: node.url, adminToken: node.adminToken, ice },
    close: () => node.close(),
  };
}
