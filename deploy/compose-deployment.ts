// The deployment deploy/compose.yaml runs: three national nodes and ICE, on the
// loopback of the compose stack's shared network namespace. The tokens are
// fixed so the stack works out of the box on one machine; change them here (and
// run dashboards/build.ts) before exposing it to anyone.
import type { ScrapedDeployment } from '../dashboards/prometheus-config.ts';

/** The deployment-file fields the stack fills: endpoints, the nodes' admin tokens (for seeding), ICE's node credentials. */
export interface ComposeDeployment extends ScrapedDeployment {
  nodes: Record<'GE' | 'AZ' | 'KZ', { url: string; adminToken: string }>;
  ice: { url: string; nodeTokens: Record<'GE' | 'AZ' | 'KZ', string> };
  /** The identity that may read the parts' audit routes (`--reconcile`). */
  auditor: { token: string };
}

export const COMPOSE_PORTS = { GE: 8081, AZ: 8082, KZ: 8083, ice: 8090, prometheus: 9090, grafana: 3000 } as const;

export const composeDeployment: ComposeDeployment = {
  nodes: {
    GE: { url: `http://127.0.0.1:${COMPOSE_PORTS.GE}`, adminToken: 'compose-admin-token-ge' },
    AZ: { url: `http://127.0.0.1:${COMPOSE_PORTS.AZ}`, adminToken: 'compose-admin-token-az' },
    KZ: { url: `http://127.0.0.1:${COMPOSE_PORTS.KZ}`, adminToken: 'compose-admin-token-kz' },
  },
  ice: {
    url: `ws://127.0.0.1:${COMPOSE_PORTS.ice}/v1/ice`,
    nodeTokens: { GE: 'compose-ice-token-ge', AZ: 'compose-ice-token-az', KZ: 'compose-ice-token-kz' },
  },
  auditor: { token: 'compose-auditor-token' },
};
