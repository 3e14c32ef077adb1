// Connections: one undici Agent per process (keep-alive pools per origin), shared by the VUs of a worker,
// with a connector that times DNS lookup, TCP connect and TLS handshake of each new connection.
import { Agent, buildConnector } from 'undici';
import type { Socket } from 'node:net';

export interface ConnectionTiming {
  lookingUp: number;
  connecting: number;
  tlsHandshaking: number;
}

// Set while undici hands a brand-new socket to its client: the client writes the waiting request in the
// same synchronous call, so that request's onConnect reads the timing of the connection it caused.
export let freshConnection: ConnectionTiming | undefined;

const baseConnector = buildConnector({ timeout: 10_000 });

function timedConnector(options: buildConnector.Options, callback: buildConnector.Callback): Socket {
  const start = performance.now();
  let lookedUp = start;
  let tcpDone = 0;
  const socket = baseConnector(options, (err, sock) => {
    if (err || !sock) return callback(err as Error, null);
    const done = performance.now();
    if (tcpDone === 0) tcpDone = done;
    freshConnection = {
      lookingUp: lookedUp - start,
      connecting: tcpDone - lookedUp,
      tlsHandshaking: done - tcpDone,
    };
    try {
      callback(null, sock);
    } finally {
      freshConnection = undefined;
    }
  }) as unknown as Socket;
  socket.once('lookup', () => {
    lookedUp = performance.now();
  });
  if (options.protocol === 'https:') {
    socket.once('connect', () => {
      tcpDone = performance.now();
    });
  }
  return socket;
}

let agent: Agent | undefined;

export function dispatcher(): Agent {
  if (!agent) {
    agent = new Agent({
      connect: timedConnector,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      // The request timeout (params.timeout) covers the whole exchange; undici's own are off.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }
  return agent;
}

/** Closes every pooled connection (at worker shutdown, so the process can exit). */
export async function closeHttp(): Promise<void> {
  const a = agent;
  agent = undefined;
  if (a) await a.destroy();
}
