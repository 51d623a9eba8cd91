import { describe, expect, it } from 'vitest';
import { clinicDayStart, clinicNow, ianaTimeZone } from './clinic-clock';

describe('clinicDayStart: where a clinic date begins', () => {
  it('is local midnight in Taipei (UTC+8, no daylight saving)', () => {
    expect(clinicDayStart('Asia/Taipei', '2031-03-01').toISOString()).toBe('2031-02-28T16:00:00.000Z');
    // 23:30 on the 1st in Taipei is still the 1st: before the 2nd begins.
    const late = new Date('2031-03-01T15:30:00Z');
    expect(clinicNow('Asia/Taipei', late).date).toBe('2031-03-01');
    expect(late < clinicDayStart('Asia/Taipei', '2031-03-02')).toBe(true);
  });

  it('follows daylight saving on the days it changes', () => {
    // New York springs forward at 02:00 on 2031-03-09 and falls back at 02:00 on 2031-11-02.
    expect(clinicDayStart('America/New_York', '2031-03-09').toISOString()).toBe('2031-03-09T05:00:00.000Z');
    expect(clinicDayStart('America/New_York', '2031-03-10').toISOString()).toBe('2031-03-10T04:00:00.000Z');
    expect(clinicDayStart('America/New_York', '2031-11-02').toISOString()).toBe('2031-11-02T04:00:00.000Z');
    expect(clinicDayStart('America/New_York', '2031-11-03').toISOString()).toBe('2031-11-03T05:00:00.000Z');
  });

  it('begins at the first minute that exists where midnight is skipped', () => {
    // Santiago's clocks went from 00:00 to 01:00 on 2022-09-11.
    const start = clinicDayStart('America/Santiago', '2022-09-11');
    expect(clinicNow('America/Santiago', start)).toEqual({ date: '2022-09-11', minutes: 60 });
    expect(clinicNow('America/Santiago', new Date(start.getTime() - 60_000)).date).toBe('2022-09-10');
  });
});

describe('ianaTimeZone', () => {
  it.each([
    ['Asia/Taipei', 'Asia/Taipei'],
    ['asia/taipei', 'Asia/Taipei'],
    ['UTC', 'UTC'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
  ])('%s → %s', (name, expected) => {
    expect(ianaTimeZone(name)).toBe(expected);
  });

  it.each(['Mars/Olympus_Mons', 'Asia/Taipe', '+08:00', 'GMT+8 ', '', ' Asia/Taipei', 'Asia/Taipei\u0000', '../etc'])('refuses %j', (name) => {
    expect(ianaTimeZone(name)).toBeNull();
  });
});
