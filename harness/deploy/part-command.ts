// How each part of the reference is started: its `cats-stress` arguments and environment.
// One definition for every way the reference is deployed: `up` (a process per part on
// loopback), deploy/compose.yaml and the Kubernetes manifests (a container per part).
// Database URLs and credentials go in the environment, never on a command line.

export interface PartCommand {
  /** Arguments of `cats-stress`. */
  args: string[];
  env: Record<string, string>;
}

/** The business clock as every part takes it, so all agree and a restarted part continues where it was. */
export interface PartClock {
  factor: number;
  epoch: string;
}

interface Listening {
  port: number;
  /** Address to listen on; loopback (the CLI's default) when absent. */
  host?: string;
}

function clockEnv(clock: PartClock | undefined): Record<string, string> {
  return clock ? { CATS_TIME_FACTOR: String(clock.factor), CATS_CLOCK_EPOCH: clock.epoch } : {};
}

function listen(o: Listening): string[] {
  return [...(o.host ? ['--host', o.host] : []), '--port', String(o.port)];
}

/** ICE, on its own database (`databaseUrl`), taking each node's credential. */
export function iceCommand(
  o: Listening & {
    databaseUrl: string;
    nodeTokens: Record<string, string>;
    auditorToken?: string;
    clock?: PartClock;
  },
): PartCommand {
  return {
    args: ['ice', ...listen(o)],
    env: {
      DATABASE_URL: o.databaseUrl,
      ICE_NODE_TOKENS: Object.entries(o.nodeTokens)
        .map(([c, t]) => `${c}=${t}`)
        .join(','),
      ...(o.auditorToken ? { ICE_AUDITOR_TOKEN: o.auditorToken } : {}),
      ...clockEnv(o.clock),
    },
  };
}

/** A national node; `serverUrl` names the PostgreSQL server it makes its database `cats_<cc>` on. */
export function nodeCommand(
  o: Listening & {
    country: string;
    serverUrl: string;
    adminToken: string;
    auditorToken?: string;
    ice?: { url: string; token: string };
    clock?: PartClock;
  },
): PartCommand {
  return {
    args: ['node', '--country', o.country, ...listen(o)],
    env: {
      DATABASE_URL: o.serverUrl,
      CATS_ADMIN_TOKEN: o.adminToken,
      ...(o.auditorToken ? { CATS_AUDITOR_TOKEN: o.auditorToken } : {}),
      ...(o.ice ? { CATS_ICE_URL: o.ice.url, CATS_ICE_TOKEN: o.ice.token } : {}),
      ...clockEnv(o.clock),
    },
  };
}
