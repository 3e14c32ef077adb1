// The time limit of a released movement: by when its goods must be presented
// at the office of destination, set by the office of departure from the
// itinerary (the rule is documented in ./README.md, with its sources).

export interface ItineraryOffice {
  referenceNumber: string;
  country: string;
  position?: { lat: number; lon: number };
}

/** Road speed including delays, km/h: between the CPMM figures for GE (9.1), AZ (22) and KZ (31). */
export const SPEED_KM_H = 20;
/** Border dwell per frontier crossed, hours: the longest CPMM averages are 54.9 (Tsiteli Khidi) and 69.7 (KZ rail). */
export const FRONTIER_HOURS = 72;
/** Waiting for and crossing on a Caspian ferry, hours: ferries every 3-5 days, 18-24 h at sea. */
export const CASPIAN_HOURS = 120;
/** A leg without known positions counts as this many km. */
export const UNKNOWN_LEG_KM = 1000;
/** Days the holder and the office enquired have to answer before recovery starts. */
export const ENQUIRY_PERIOD_DAYS = 28;
/** Business hours the guarantee's country has to answer IE203 before departure refuses the movement. */
export const GUARANTEE_ANSWER_HOURS = 4;

const DAY_MS = 86_400_000;
const EAST_OF_CASPIAN = new Set(['KZ', 'TM', 'UZ', 'KG', 'TJ', 'CN', 'MN', 'AF', 'PK']);
const WEST_OF_CASPIAN = new Set(['AZ', 'GE', 'AM', 'TR', 'RU', 'IR']);

/** Great-circle distance in km. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

function crossesCaspian(a: ItineraryOffice, b: ItineraryOffice): boolean {
  return (
    (EAST_OF_CASPIAN.has(a.country) && WEST_OF_CASPIAN.has(b.country)) ||
    (WEST_OF_CASPIAN.has(a.country) && EAST_OF_CASPIAN.has(b.country))
  );
}

/** Planned hours from departure through the offices of transit, in order, to destination. */
export function itineraryHours(itinerary: readonly ItineraryOffice[]): number {
  let hours = 0;
  for (let i = 1; i < itinerary.length; i++) {
    const a = itinerary[i - 1]!;
    const b = itinerary[i]!;
    const km = a.position && b.position ? distanceKm(a.position, b.position) : UNKNOWN_LEG_KM;
    hours += km / SPEED_KM_H;
    if (a.country !== b.country) hours += FRONTIER_HOURS;
    if (crossesCaspian(a, b)) hours += CASPIAN_HOURS;
  }
  return hours;
}

/** Whole days allowed for the itinerary, at least one. */
export function limitDays(itinerary: readonly ItineraryOffice[]): number {
  return Math.max(1, Math.ceil(itineraryHours(itinerary) / 24));
}

/** The limit date of a movement released at `releasedAt` (business time). */
export function limitDate(releasedAt: Date, itinerary: readonly ItineraryOffice[]): Date {
  return new Date(releasedAt.getTime() + limitDays(itinerary) * DAY_MS);
}

/** When the enquiry opened at `openedAt` is due an answer; past it, recovery starts. */
export function enquiryReplyBy(openedAt: Date): Date {
  return new Date(openedAt.getTime() + ENQUIRY_PERIOD_DAYS * DAY_MS);
}

/** When the guarantee's country must have answered an IE203 sent at `requestedAt`; past it, the movement is refused. */
export function guaranteeReplyBy(requestedAt: Date): Date {
  return new Date(requestedAt.getTime() + GUARANTEE_ANSWER_HOURS * 3_600_000);
}
