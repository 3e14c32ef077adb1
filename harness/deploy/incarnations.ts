// The runs of a deployment's processes as a RestartingPart sees them: a part
// (ICE or a node) ready once its /readyz answers, and the embedded PostgreSQL
// server ready once it accepts connections.
import type { Postmaster } from '../../reference/store/postgres.ts';
import type { Part } from './part.ts';
import type { Incarnation } from './restarting-part.ts';

/** `part` just spawned (or already ready, when `ready` is given settled). */
export function partIncarnation(part: Part, ready: Promise<void>): Incarnation {
  ready.catch(() => undefined);
  // The signal says more than Part's 128 when the process was killed.
  const exited = part.exited.then((code) => part.child.signalCode ?? code);
  return { pid: part.pid, ready, exited, stop: () => part.stop() };
}

/** The embedded server's current process; with `starting`, one being started again. */
export function postmasterIncarnation(
  postmaster: Postmaster,
  stopServer: () => Promise<void>,
  starting?: Promise<void>,
): Incarnation {
  const ready = starting ?? Promise.resolve();
  ready.catch(() => undefined);
  const exited = ready.then(
    () => postmaster.exited(),
    () => undefined,
  );
  return {
    get pid() {
      return postmaster.pid;
    },
    ready,
    exited,
    stop: async () => {
      await ready.catch(() => undefined);
      await stopServer();
    },
  };
}
