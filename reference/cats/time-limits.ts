// The limit date a node sets on release, from the declared itinerary and the
// office list (positions, countries); the rule is reference/domain/time-limit.ts.
import { limitDate, type ItineraryOffice } from '../domain/time-limit.ts';
import { officeByReference } from '../spec/reference-data/offices.ts';

function itineraryOffice(reference: string): ItineraryOffice {
  const o = officeByReference.get(reference);
  return o ?? { referenceNumber: reference, country: reference.slice(0, 2) };
}

export function movementLimitDate(
  offices: { departure: string; transit: readonly string[]; destination: string },
  releasedAt: Date,
): Date {
  return limitDate(releasedAt, [offices.departure, ...offices.transit, offices.destination].map(itineraryOffice));
}
