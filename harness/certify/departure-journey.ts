// A movement departing from the country under test, taken to write-off by the
// region: released at the node (its IE001/IE050 reach ICE), then ICE delivers
// the crossing, arrival advice and control results the offices abroad would
// send, with a duplicate, an out-of-sequence, a forged and a misaddressed
// message among them. Each requirement's check judges its part of the record.
import type { AckFrame } from '../../reference/spec/ice/frames.ts';
import type { Answer } from './node-client.ts';
import { Finding } from './outcome.ts';
import { anotherOffice, countryOf, declaredOffices, envelope, foreignMrn, outgoingRoutes } from './region.ts';
import type { Received } from './scripted-ice.ts';
import { lodgeAndRelease, type Lodged, type Session } from './session.ts';

const inExchange = (s: Session, office: string) => countryOf(office) !== s.country;

export interface Delivery {
  message: ReturnType<typeof envelope>;
  ack?: AckFrame;
  error?: string;
  /** The movement as C2B shows it after the acknowledgement. */
  after?: Answer;
}

export interface DepartureJourney {
  /** Why the journey could not be run (no route, the node refused a step). */
  unavailable?: string;
  finding: Finding;
  lodged?: Lodged;
  expected: { type: 'IE001' | 'IE050'; office: string }[];
  releaseRecords: Received[];
  crossing?: Delivery;
  duplicate?: Delivery;
  outOfSequence?: Delivery;
  forged?: Delivery;
  misaddressed?: Delivery;
  unknown?: Delivery;
  arrival?: Delivery;
  control?: Delivery;
  writeOffs: Received[];
  transitOffice?: string;
}

const journeys = new WeakMap<Session, Promise<DepartureJourney>>();

export function departureJourney(s: Session): Promise<DepartureJourney> {
  let j = journeys.get(s);
  if (!j) {
    j = runJourney(s);
    journeys.set(s, j);
  }
  return j;
}

async function deliver(s: Session, message: Delivery['message'], mrn: string, redelivery = false): Promise<Delivery> {
  const d: Delivery = { message };
  try {
    d.ack = await s.ice.deliver(message, s.waitMs, redelivery);
  } catch (err) {
    d.error = (err as Error).message;
  }
  d.after = await s.node.get(`/v1/declarations/${mrn}`, s.holder.token);
  return d;
}

async function runJourney(s: Session): Promise<DepartureJourney> {
  const f = new Finding();
  const j: DepartureJourney = { finding: f, expected: [], releaseRecords: [], writeOffs: [] };
  const route = outgoingRoutes(s.country)[0];
  if (!route)
    return { ...j, unavailable: `no corridor route from ${s.country} crosses another country of the exchange` };
  const o = declaredOffices(route);
  j.expected = [
    ...(inExchange(s, o.destination) ? [{ type: 'IE001' as const, office: o.destination }] : []),
    ...o.transit.filter((t) => inExchange(s, t)).map((office) => ({ type: 'IE050' as const, office })),
  ];
  const mark = s.ice.received.length - 1;
  const lodged = await lodgeAndRelease(s, route, 'J', f);
  if (!lodged) return { ...j, unavailable: 'the node did not release the CTD of the journey' };
  j.lodged = lodged;
  const { mrn } = lodged;
  for (const e of j.expected) {
    try {
      j.releaseRecords.push(
        await s.ice.waitFor(
          (r) => r.message?.mrn === mrn && r.message?.type === e.type && r.message?.recipient?.office === e.office,
          s.waitMs,
          `${e.type} for ${mrn} to ${e.office}`,
          mark,
        ),
      );
    } catch (err) {
      f.note((err as Error).message);
    }
  }
  const destination = { country: countryOf(o.destination), office: o.destination };
  const here = { country: s.country, office: o.departure };
  const transit = o.transit.find((t) => inExchange(s, t));
  j.transitOffice = transit;
  const now = () => new Date().toISOString();
  if (transit) {
    const crossing = envelope('IE118', { country: countryOf(transit), office: transit }, here, mrn, {
      officeOfTransit: transit,
      crossedAt: now(),
    });
    j.crossing = await deliver(s, crossing, mrn);
    j.duplicate = await deliver(s, crossing, mrn, true);
  }
  j.outOfSequence = await deliver(
    s,
    envelope('IE018', destination, here, mrn, {
      officeOfDestination: o.destination,
      controlledAt: now(),
      conform: true,
    }),
    mrn,
  );
  const impostor = anotherOffice(destination.country, [o.destination]);
  if (impostor)
    j.forged = await deliver(
      s,
      envelope('IE006', { country: destination.country, office: impostor }, here, mrn, {
        officeOfDestination: impostor,
        arrivedAt: now(),
      }),
      mrn,
    );
  const elsewhere = ['GE', 'AZ', 'KZ', 'UZ', 'KG'].find((c) => c !== s.country && c !== destination.country);
  const elsewhereOffice = elsewhere && anotherOffice(elsewhere, []);
  if (elsewhere && elsewhereOffice)
    j.misaddressed = await deliver(
      s,
      envelope('IE006', destination, { country: elsewhere, office: elsewhereOffice }, mrn, {
        officeOfDestination: o.destination,
        arrivedAt: now(),
      }),
      mrn,
    );
  j.unknown = await deliver(
    s,
    envelope('IE006', destination, here, foreignMrn(s.country), {
      officeOfDestination: o.destination,
      arrivedAt: now(),
    }),
    mrn,
  );
  const beforeWriteOff = s.ice.received.length - 1;
  j.arrival = await deliver(
    s,
    envelope('IE006', destination, here, mrn, { officeOfDestination: o.destination, arrivedAt: now() }),
    mrn,
  );
  j.control = await deliver(
    s,
    envelope('IE018', destination, here, mrn, {
      officeOfDestination: o.destination,
      controlledAt: now(),
      conform: true,
    }),
    mrn,
  );
  for (const e of j.expected) {
    try {
      j.writeOffs.push(
        await s.ice.waitFor(
          (r) => r.message?.mrn === mrn && r.message?.type === 'IE045' && r.message?.recipient?.office === e.office,
          s.waitMs,
          `IE045 for ${mrn} to ${e.office}`,
          beforeWriteOff,
        ),
      );
    } catch (err) {
      f.note((err as Error).message);
    }
  }
  return j;
}
