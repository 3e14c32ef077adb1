import { describe, expect, it } from 'vitest';
import { officeByReference } from '../spec/reference-data/offices.ts';
import { enquiryReplyBy, itineraryHours, limitDate, limitDays, SPEED_KM_H } from './time-limit.ts';

const office = (ref: string) => officeByReference.get(ref)!;
const released = new Date('2026-03-01T10:00:00Z');

describe('time limit', () => {
  it('counts driving time, a border dwell per frontier and the Caspian ferry', () => {
    const domestic = itineraryHours([office('GE000010'), office('GE069002')]);
    const abroad = itineraryHours([office('GE000010'), office('AZ000210')]);
    expect(domestic).toBeGreaterThan(0);
    expect(domestic).toBeLessThan(24);
    expect(abroad).toBeGreaterThan(72);
    const almatyBaku = itineraryHours([office('KZ000010'), office('AZ000100')]);
    // About 2,300 km at SPEED_KM_H, one frontier, one ferry.
    expect(almatyBaku).toBeGreaterThan(2000 / SPEED_KM_H + 72 + 120);
    expect(almatyBaku).toBeLessThan(2600 / SPEED_KM_H + 72 + 120);
  });

  it('sets the limit date whole days after release, longer for a longer itinerary', () => {
    const kzAzGe = [office('KZ000010'), office('AZ000100'), office('GE000010')];
    const days = limitDays(kzAzGe);
    expect(days).toBeGreaterThan(limitDays([office('KZ000010'), office('AZ000100')]));
    expect(limitDate(released, kzAzGe).getTime() - released.getTime()).toBe(days * 86_400_000);
    expect(limitDays([office('GE000010'), office('GE000010')])).toBe(1);
  });

  it('gives the enquiry 28 days', () => {
    expect(enquiryReplyBy(released).toISOString()).toBe('2026-03-29T10:00:00.000Z');
  });
});
