import { describe, expect, it } from 'vitest';
import { plannedSubmissions } from './planned-submissions.ts';

describe('plannedSubmissions: the data set a stress run generates covers every CTD it can submit', () => {
  it('a steady or ramping rate: rate × duration', () => {
    expect(plannedSubmissions('ctd-peak', 50, 60)).toBe(3000);
    expect(plannedSubmissions('soak', 20, 600, { RATE: '30' })).toBe(18000);
  });
  it('breakpoint: the whole ramp from START_RATE to MAX_RATE, not the --rate', () => {
    expect(plannedSubmissions('breakpoint', 50, 60, { START_RATE: '10', MAX_RATE: '110' })).toBe(3600);
    expect(plannedSubmissions('breakpoint', 50, 10)).toBe((10 + 5000) * 5);
  });
  it('spike: the surge at SPIKE_FACTOR × the base rate for a quarter of the run', () => {
    expect(plannedSubmissions('spike', 10, 100, { SPIKE_FACTOR: '5' })).toBe(10 * 100 * (0.75 + 1.25));
  });
});
