// "Sent after the state change is durable", judged from outside: the moment a
// message reaches ICE, the movement is read through C2B and must already show
// the state the message reports.
import type { Answer } from './node-client.ts';
import type { Received } from './scripted-ice.ts';
import type { Session } from './session.ts';

const LATER: Record<string, readonly string[]> = {
  IE001: ['RELEASED', 'IN_TRANSIT', 'ARRIVED', 'CONTROLLED', 'WRITTEN_OFF'],
  IE050: ['RELEASED', 'IN_TRANSIT', 'ARRIVED', 'CONTROLLED', 'WRITTEN_OFF'],
  IE118: ['IN_TRANSIT', 'ARRIVED', 'CONTROLLED', 'WRITTEN_OFF'],
  IE006: ['ARRIVED', 'CONTROLLED', 'WRITTEN_OFF'],
  IE018: ['CONTROLLED', 'WRITTEN_OFF'],
  IE045: ['WRITTEN_OFF'],
};

export interface Probe {
  received: Received;
  view: Answer;
  ok: boolean;
}

/** Starts probing every message that reaches ICE; `probes` fills as their reads complete. */
export function probeDurability(s: Session): { probes: Promise<Probe>[]; stop(): Promise<Probe[]> } {
  const probes: Promise<Probe>[] = [];
  s.ice.onMessage = (r) => {
    const states = LATER[String(r.message?.type)];
    if (!states) return;
    probes.push(
      s.node.get(`/v1/declarations/${r.message.mrn}`, s.officer.token).then((view) => ({
        received: r,
        view,
        ok:
          view.status === 200 &&
          states.includes(view.body?.state) &&
          (r.message.type !== 'IE118' || view.body?.crossedOffices?.includes(r.message.body?.officeOfTransit)),
      })),
    );
  };
  return {
    probes,
    async stop() {
      s.ice.onMessage = undefined;
      return Promise.all(probes);
    },
  };
}
