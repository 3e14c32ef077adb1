// A TCP port on loopback that nothing listens on at the moment of asking, for a server
// whose address must be known before it starts. It is drawn below the kernel's ephemeral
// range: a port the kernel hands out itself (to a listen on port 0, or as a client's source
// port) can be taken again before the caller binds it, and a client that dials it while
// nothing listens can even connect to itself and hold it.
import { readFileSync } from 'node:fs';
import net from 'node:net';

const LOWEST = 10_000;
const ATTEMPTS = 50;
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  const below = ephemeralStart();
  for (let i = 0; below - LOWEST >= 1_000 && i < ATTEMPTS; i++) {
    const port = LOWEST + Math.floor(Math.random() * (below - LOWEST));
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  return kernelChosen();
}

function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return Number(low) || 32_768;
  } catch {
    return 49_152; // IANA's dynamic range, which macOS and Windows use
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function kernelChosen(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
