// Movements another country released that name the country under test as
// office of destination or transit: ICE delivers their anticipated record, the
// node's officer records crossing, arrival and control results through C2B,
// and the node's IE118/IE006/IE018 must come back; then the write-off (IE045).
import type { AckFrame } from '../../reference/spec/ice/frames.ts';
import type { Answer } from './node-client.ts';
import { Finding } from './outcome.ts';
import { envelope, incomingRoutes } from './region.ts';
import type { Received } from './scripted-ice.ts';
import { anticipatedRecord, type Session } from './session.ts';

export interface ForeignMovement {
  role: 'destination' | 'transit';
  mrn: string;
  office: string;
  record: ReturnType<typeof anticipatedRecord>['message'];
  ack?: AckFrame;
  view?: Answer;
  /** The node's C2B answers to the officer's steps. */
  steps: Answer[];
  /** What the node sent back about this movement. */
  sent: Received[];
  writeOffAck?: AckFrame;
  closed?: Answer;
}

export interface ForeignJourney {
  finding: Finding;
  movements: ForeignMovement[];
}

const journeys = new WeakMap<Session, Promise<ForeignJourney>>();

export function foreignJourney(s: Session): Promise<ForeignJourney> {
  let j = journeys.get(s);
  if (!j) {
    j = run(s);
    journeys.set(s, j);
  }
  return j;
}

async function run(s: Session): Promise<ForeignJourney> {
  const f = new Finding();
  const movements: ForeignMovement[] = [];
  const destinationRoute = incomingRoutes(s.country, 'destination')[0];
  const transitRoute =
    incomingRoutes(s.country, 'transit').find((r) => r !== destinationRoute) ?? incomingRoutes(s.country, 'transit')[0];
  for (const [role, route] of [
    ['destination', destinationRoute],
    ['transit', transitRoute],
  ] as const) {
    if (!route) continue;
    const a = anticipatedRecord(s, route, role);
    const m: ForeignMovement = { role, mrn: a.mrn, office: a.office, record: a.message, steps: [], sent: [] };
    movements.push(m);
    try {
      m.ack = await s.ice.deliver(a.message, s.waitMs);
    } catch (err) {
      f.note((err as Error).message);
      continue;
    }
    m.view = await s.node.get(`/v1/declarations/${a.mrn}`, s.officer.token);
    const mark = s.ice.received.length - 1;
    const expect: string[] = [];
    if (role === 'transit') {
      m.steps.push(await s.node.post(`/v1/movements/${a.mrn}/crossing`, { office: a.office }, s.officer.token));
      expect.push('IE118');
    } else {
      m.steps.push(await s.node.post(`/v1/movements/${a.mrn}/arrival`, { office: a.office }, s.officer.token));
      m.steps.push(
        await s.node.post(
          `/v1/movements/${a.mrn}/control-results`,
          { office: a.office, conform: true },
          s.officer.token,
        ),
      );
      expect.push('IE006', 'IE018');
    }
    let after = mark;
    for (const type of expect) {
      try {
        const r = await s.ice.waitFor(
          (r) => r.message?.mrn === a.mrn && r.message?.type === type,
          s.waitMs,
          `${type} for ${a.mrn}`,
          after,
        );
        m.sent.push(r);
        after = r.seq;
      } catch (err) {
        f.note((err as Error).message);
      }
    }
    const writeOff = envelope('IE045', a.departure, { country: s.country, office: a.office }, a.mrn, {
      writtenOffAt: new Date().toISOString(),
      outcome: 'discharged',
    });
    try {
      m.writeOffAck = await s.ice.deliver(writeOff, s.waitMs);
    } catch (err) {
      f.note((err as Error).message);
    }
    m.closed = await s.node.get(`/v1/declarations/${a.mrn}`, s.officer.token);
  }
  return { finding: f, movements };
}
