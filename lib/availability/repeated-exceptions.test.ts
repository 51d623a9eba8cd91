import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek } from '../time/dates';
import { findRepeatedExceptions, repeatSuggestionKey, weeklyRule, type SingleException } from './repeated-exceptions';

// 2031-03-05 is a Wednesday.
const TODAY = '2031-03-05';
let nextId = 1;
const ex = (date: string, start: string | null = '14:00', end: string | null = '18:00'): SingleException => ({
  exceptionId: nextId++,
  date,
  start,
  end,
});

describe('findRepeatedExceptions', () => {
  it('suggests a weekday and span blocked three times, with every date and exception it replaces', () => {
    const list = [ex('2031-03-05'), ex('2031-03-12'), ex('2031-03-26'), ex('2031-03-13')];
    expect(findRepeatedExceptions(list, TODAY)).toEqual([
      {
        weekday: 'wednesday',
        start: '14:00',
        end: '18:00',
        dates: ['2031-03-05', '2031-03-12', '2031-03-26'],
        exceptionIds: [list[0]!.exceptionId, list[1]!.exceptionId, list[2]!.exceptionId],
      },
    ]);
  });

  it('does not suggest twice-blocked days, other hours or other weekdays', () => {
    const list = [ex('2031-03-05'), ex('2031-03-12'), ex('2031-03-19', '14:00', '17:00'), ex('2031-03-20'), ex('2031-03-26', null, null)];
    expect(findRepeatedExceptions(list, TODAY)).toEqual([]);
  });

  it('counts distinct dates: two equal exceptions on one day count once, and both are replaced', () => {
    const twice = [ex('2031-03-05'), ex('2031-03-05'), ex('2031-03-12')];
    expect(findRepeatedExceptions(twice, TODAY)).toEqual([]);
    const three = [...twice, ex('2031-03-19')];
    expect(findRepeatedExceptions(three, TODAY)[0]!.exceptionIds).toHaveLength(4);
  });

  it('finds all-day habits too', () => {
    const list = [ex('2031-03-07', null, null), ex('2031-03-14', null, null), ex('2031-03-21', null, null)];
    expect(findRepeatedExceptions(list, TODAY)).toMatchObject([{ weekday: 'friday', start: null, end: null }]);
  });

  it('looks back 8 weeks: older exceptions neither count nor are replaced', () => {
    const old = ex('2031-01-01'); // 9 weeks back
    const list = [old, ex('2031-01-08'), ex('2031-01-15'), ex('2031-02-26')];
    const [s] = findRepeatedExceptions(list, TODAY);
    expect(s!.dates).toEqual(['2031-01-08', '2031-01-15', '2031-02-26']);
    expect(s!.exceptionIds).not.toContain(old.exceptionId);
    expect(findRepeatedExceptions([old, ex('2031-01-08'), ex('2031-02-26')], TODAY)).toEqual([]);
  });

  it('leaves a habit that stopped more than two weeks ago', () => {
    expect(findRepeatedExceptions([ex('2031-01-22'), ex('2031-01-29'), ex('2031-02-05')], TODAY)).toEqual([]);
    expect(findRepeatedExceptions([ex('2031-02-05'), ex('2031-02-12'), ex('2031-02-19')], TODAY)).toHaveLength(1);
  });

  it('puts the habit with the most dates first', () => {
    const mondays = ['2031-03-10', '2031-03-17', '2031-03-24'].map((d) => ex(d, '09:00', '10:00'));
    const wednesdays = ['2031-03-05', '2031-03-12', '2031-03-19', '2031-03-26'].map((d) => ex(d));
    expect(findRepeatedExceptions([...mondays, ...wednesdays], TODAY).map((s) => s.weekday)).toEqual(['wednesday', 'monday']);
  });

  it('property: equals counting each weekday and span by brute force', () => {
    const exception = fc.record({
      offset: fc.integer({ min: -80, max: 80 }),
      span: fc.constantFrom<[string | null, string | null]>(['14:00', '18:00'], ['09:00', '12:00'], [null, null]),
    });
    fc.assert(
      fc.property(fc.array(exception, { maxLength: 30 }), (raw) => {
        const list = raw.map((r, i) => ({ exceptionId: i + 1, date: addDays(TODAY, r.offset), start: r.span[0], end: r.span[1] }));
        const found = findRepeatedExceptions(list, TODAY);
        // Brute force: for every weekday and span, the dates in the window.
        const expected = new Set<string>();
        for (let dow = 0; dow < 7; dow++) {
          for (const [start, end] of [
            ['14:00', '18:00'],
            ['09:00', '12:00'],
            [null, null],
          ] as const) {
            const inWindow = list.filter((e) => dayOfWeek(e.date) === dow && e.start === start && e.end === end && e.date >= addDays(TODAY, -56));
            const dates = [...new Set(inWindow.map((e) => e.date))].sort();
            if (dates.length >= 3 && dates.at(-1)! >= addDays(TODAY, -14))
              expected.add(`${dow} ${start}-${end} ${inWindow.map((e) => e.exceptionId).sort((a, b) => a - b)}`);
          }
        }
        const actual = new Set(found.map((s) => `${dayOfWeek(s.dates[0]!)} ${s.start}-${s.end} ${s.exceptionIds}`));
        expect(actual).toEqual(expected);
        for (const s of found) for (const d of s.dates) expect(dayOfWeek(d)).toBe(dayOfWeek(s.dates[0]!));
      }),
    );
  });
});

describe('weeklyRule and repeatSuggestionKey', () => {
  it('names the weekday in RFC 5545 and keys a habit by weekday and span', () => {
    expect(weeklyRule('wednesday')).toBe('FREQ=WEEKLY;BYDAY=WE');
    expect(weeklyRule('sunday')).toBe('FREQ=WEEKLY;BYDAY=SU');
    expect(repeatSuggestionKey({ weekday: 'wednesday', start: '14:00', end: '18:00' })).toBe('wednesday 14:00-18:00');
    expect(repeatSuggestionKey({ weekday: 'friday', start: null, end: null })).toBe('friday all-day-');
  });
});
