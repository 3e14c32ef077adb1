import { describe, expect, it } from 'vitest';
import { businessClock, formatAnchor, parseAnchor, REAL_TIME } from './business-clock.ts';

const epoch = Date.parse('2026-03-01T00:00:00Z');

describe('business clock', () => {
  it('is real time at factor 1', () => {
    const clock = businessClock(REAL_TIME, () => epoch + 5_000);
    expect(clock.now().getTime()).toBe(epoch + 5_000);
  });

  it('runs factor times faster than real time from its epoch', () => {
    let real = epoch;
    const clock = businessClock({ epochMs: epoch, factor: 3600 }, () => real);
    expect(clock.now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
    real += 2_000; // two real seconds = two business hours
    expect(clock.now().toISOString()).toBe('2026-03-01T02:00:00.000Z');
    expect(clock.realDelayUntil(new Date('2026-03-01T03:00:00Z'))).toBe(1_000);
    expect(clock.realDelayUntil(new Date('2026-03-01T01:00:00Z'))).toBe(0);
  });

  it('gives every part with the same anchor the same time, whenever each started', () => {
    const anchor = parseAnchor('86400', '2026-03-01T00:00:00Z', Date.now());
    const real = epoch + 10_000;
    const a = businessClock(anchor, () => real);
    const restarted = businessClock(parseAnchor('86400', formatAnchor(anchor).split('@')[1], 0), () => real);
    expect(a.now().toISOString()).toBe('2026-03-11T00:00:00.000Z');
    expect(restarted.now()).toEqual(a.now());
  });

  it('takes the caller start as epoch when none is given, and refuses bad factors and epochs', () => {
    expect(parseAnchor('1', undefined, epoch)).toBe(REAL_TIME);
    expect(parseAnchor('100', undefined, epoch)).toEqual({ epochMs: epoch, factor: 100 });
    expect(() => parseAnchor('0', undefined, epoch)).toThrow(/positive/);
    expect(() => parseAnchor('-2', undefined, epoch)).toThrow(/positive/);
    expect(() => parseAnchor('fast', undefined, epoch)).toThrow(/positive/);
    expect(() => parseAnchor('10', 'yesterday', epoch)).toThrow(/ISO 8601/);
  });
});
