// Customs-to-customs messages a node writes to its outbox with the state change
// that causes them, with the bodies of the ICE catalogue (reference/spec/ice).
// Offices in the node's own country need no message: the node holds the movement itself.
import type { Ctd } from '../spec/ctd.ts';
import type { IE001 } from '../spec/ice/ie001-anticipated-arrival-record.ts';
import type { IE006 } from '../spec/ice/ie006-arrival-advice.ts';
import type { IE018 } from '../spec/ice/ie018-destination-control-results.ts';
import type { IE045 } from '../spec/ice/ie045-write-off-notification.ts';
import type { IE050 } from '../spec/ice/ie050-anticipated-transit-record.ts';
import type { IE118 } from '../spec/ice/ie118-notification-crossing-frontier.ts';
import type { OutboxMessage } from '../store/movements.ts';

const countryOf = (office: string) => office.slice(0, 2);

/** On release: IE001 anticipated arrival record to the destination, IE050 anticipated transit record to each office of transit. */
export function releaseMessages(nodeCountry: string, ctd: Ctd, acceptedAt: Date, releasedAt: Date): OutboxMessage[] {
  const released = { declaration: ctd, acceptedAt: acceptedAt.toISOString(), releasedAt: releasedAt.toISOString(), officeOfDeparture: ctd.offices.departure };
  const out: OutboxMessage[] = [];
  const destination = ctd.offices.destination;
  if (countryOf(destination) !== nodeCountry) {
    const body: IE001['body'] = { ...released, officeOfDestination: destination };
    out.push({ type: 'IE001', country: countryOf(destination), office: destination, body });
  }
  for (const office of ctd.offices.transit) {
    if (countryOf(office) === nodeCountry) continue;
    const body: IE050['body'] = { ...released, officeOfTransit: office };
    out.push({ type: 'IE050', country: countryOf(office), office, body });
  }
  return out;
}

/** On write-off at departure: IE045 to every foreign office that was sent IE001 or IE050. */
export function writeOffMessages(nodeCountry: string, offices: { transit: readonly string[]; destination: string }, at: Date): OutboxMessage[] {
  const body: IE045['body'] = { writtenOffAt: at.toISOString(), outcome: 'discharged' };
  return [...offices.transit, offices.destination]
    .filter((office) => countryOf(office) !== nodeCountry)
    .map((office) => ({ type: 'IE045', country: countryOf(office), office, body }));
}

type ToDeparture =
  | { type: 'IE118'; body: IE118['body'] }
  | { type: 'IE006'; body: IE006['body'] }
  | { type: 'IE018'; body: IE018['body'] };

/** From an office of transit or destination of a foreign movement back to its office of departure. */
export function toDeparture(nodeCountry: string, departureOffice: string, m: ToDeparture): OutboxMessage[] {
  const country = countryOf(departureOffice);
  if (country === nodeCountry) return [];
  return [{ type: m.type, country, office: departureOffice, body: m.body }];
}
