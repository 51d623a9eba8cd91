import { describe, expect, it } from 'vitest';
import { expandSeries, firstOccurrence, formatRecurrence, isOccurrence, parseRecurrence, seriesLastDate, splitSeries } from './recurrence';

describe('parseRecurrence', () => {
  it.each([
    ['FREQ=WEEKLY;BYDAY=WE;UNTIL=20271231', 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20271231'],
    ['freq=weekly;interval=2;byday=tu,th;count=10', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=10'],
    ['RRULE:FREQ=MONTHLY;BYDAY=2TU', 'FREQ=MONTHLY;BYDAY=2TU'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=MONTHLY;BYDAY=-1FR'],
    ['FREQ=MONTHLY;BYMONTHDAY=15', 'FREQ=MONTHLY;BYMONTHDAY=15'],
    ['FREQ=YEARLY;INTERVAL=1', 'FREQ=YEARLY'],
    ['FREQ=DAILY', 'FREQ=DAILY'],
  ])('reads %s as %s', (text, canonical) => {
    const parsed = parseRecurrence(text);
    expect(parsed.ok && formatRecurrence(parsed.rule)).toBe(canonical);
  });

  it.each([
    ['', 'Give a repeat rule'],
    ['BYDAY=WE', 'FREQ is required'],
    ['FREQ=HOURLY', 'FREQ must be'],
    ['FREQ=WEEKLY;BYSETPOS=1', 'BYSETPOS is not supported'],
    ['FREQ=WEEKLY;WKST=SU', 'WKST is not supported'],
    ['FREQ=WEEKLY;BYDAY=2WE', 'needs FREQ=MONTHLY or YEARLY'],
    ['FREQ=MONTHLY;BYDAY=6WE', 'the number must be 1 to 5'],
    ['FREQ=MONTHLY;BYDAY=WE,1WE', 'cannot mix'],
    ['FREQ=WEEKLY;BYMONTHDAY=3', 'cannot be used with FREQ=WEEKLY'],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY must list'],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH must list'],
    ['FREQ=DAILY;COUNT=2;UNTIL=20270101', 'not both'],
    ['FREQ=DAILY;COUNT=0', 'COUNT must be'],
    ['FREQ=DAILY;UNTIL=20270230', 'UNTIL must be a date'],
    ['FREQ=DAILY;UNTIL=20270101T000000Z', 'UNTIL must be a date'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL must be'],
    ['FREQ=DAILY;FREQ=DAILY', 'given twice'],
    ['FREQ=MONTHLY;BYDAY=1TH;BYMONTHDAY=28', 'not both'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'none of the BYMONTH months'],
    ['FREQ=DAILY;INTERVAL=7;BYDAY=MO', 'takes no BYDAY'],
    ['FREQ=MONTHLY;INTERVAL=2;BYMONTH=1', 'takes no BYMONTH'],
  ])('refuses %j (%s)', (text, message) => {
    const parsed = parseRecurrence(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

describe('series expansion by example', () => {
  it('every Wednesday until the end of 2027, minus a deleted one', () => {
    const series = { start: '2027-06-02', rule: 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20271231', exdates: ['2027-06-16'] };
    expect(expandSeries(series, '2027-06-01', '2027-06-30')).toEqual(['2027-06-02', '2027-06-09', '2027-06-23', '2027-06-30']);
    expect(expandSeries(series, '2027-12-25', '2028-01-31')).toEqual(['2027-12-29']);
    expect(seriesLastDate(series.start, series.rule)).toBe('2027-12-29');
    expect(isOccurrence(series, '2027-06-16')).toBe(false);
    expect(isOccurrence(series, '2027-06-09')).toBe(true);
  });

  it('the second Tuesday and the last Friday of a month; the COUNT-th date ends the series', () => {
    expect(expandSeries({ start: '2027-01-01', rule: 'FREQ=MONTHLY;BYDAY=2TU;COUNT=3' }, '2027-01-01', '2027-12-31')).toEqual([
      '2027-01-12',
      '2027-02-09',
      '2027-03-09',
    ]);
    expect(seriesLastDate('2027-01-01', 'FREQ=MONTHLY;BYDAY=2TU;COUNT=3')).toBe('2027-03-09');
    expect(expandSeries({ start: '2027-01-01', rule: 'FREQ=MONTHLY;BYDAY=-1FR' }, '2027-01-01', '2027-03-31')).toEqual([
      '2027-01-29',
      '2027-02-26',
      '2027-03-26',
    ]);
  });

  it('a series that starts on a day the rule skips begins on its first date', () => {
    expect(firstOccurrence('2027-06-01', 'FREQ=WEEKLY;BYDAY=WE')).toBe('2027-06-02');
    expect(expandSeries({ start: '2027-06-01', rule: 'FREQ=WEEKLY;BYDAY=WE' }, '2027-05-01', '2027-06-05')).toEqual(['2027-06-02']);
  });

  it('this and following: the old series keeps the dates before, the rest keeps its count', () => {
    const { before, after } = splitSeries('2027-01-06', 'FREQ=WEEKLY;BYDAY=WE;COUNT=5', '2027-01-20');
    expect(before && formatRecurrence(before)).toBe('FREQ=WEEKLY;BYDAY=WE;COUNT=2');
    expect(formatRecurrence(after)).toBe('FREQ=WEEKLY;BYDAY=WE;COUNT=3');
    const endless = splitSeries('2027-01-06', 'FREQ=WEEKLY;BYDAY=WE', '2027-01-20');
    expect(endless.before && formatRecurrence(endless.before)).toBe('FREQ=WEEKLY;BYDAY=WE;UNTIL=20270119');
    expect(splitSeries('2027-01-06', 'FREQ=WEEKLY;BYDAY=WE', '2027-01-06').before).toBeNull();
  });

  it('an endless series has no last date; dates never shift with a time zone', () => {
    expect(seriesLastDate('2027-01-06', 'FREQ=WEEKLY;BYDAY=WE')).toBeNull();
    expect(expandSeries({ start: '2027-03-28', rule: 'FREQ=DAILY' }, '2027-03-27', '2027-03-29')).toEqual(['2027-03-28', '2027-03-29']);
  });
});
