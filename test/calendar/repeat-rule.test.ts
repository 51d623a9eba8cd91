import { describe, expect, it } from 'vitest';
import { createTranslator } from 'next-intl';
import en from '@/messages/en.json';
import zh from '@/messages/zh-TW.json';
import { exceptionTitle, repeatFormOf, repeatWords, ruleOfForm, type CalendarT } from '@/components/calendar/repeat-rule';

// The exception sheet's Repeat choices to and from RRULEs, and a rule in words for the grids.
const tEn = createTranslator({ locale: 'en', messages: en, namespace: 'calendar' }) as unknown as CalendarT;
const tZh = createTranslator({ locale: 'zh-TW', messages: zh, namespace: 'calendar' }) as unknown as CalendarT;

describe('repeat form', () => {
  // 2027-06-09 is the second Wednesday of June 2027; 2027-06-30 its last.
  it.each([
    [{ kind: 'weekly', weekdays: [3] }, 'FREQ=WEEKLY;BYDAY=WE'],
    [{ kind: 'weekly', weekdays: [5, 1], interval: 2 }, 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR'],
    [{ kind: 'monthlyDay' }, 'FREQ=MONTHLY;BYMONTHDAY=9'],
    [{ kind: 'monthlyNth' }, 'FREQ=MONTHLY;BYDAY=2WE'],
    [{ kind: 'yearly', ends: 'count', count: 5 }, 'FREQ=YEARLY;COUNT=5'],
    [{ kind: 'weekly', weekdays: [3], ends: 'until', until: '2027-12-31' }, 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20271231'],
    [{ kind: 'none' }, null],
  ] as const)('%j → %s, and back', (patch, rule) => {
    const form = { ...repeatFormOf(null, '2027-06-09'), ...patch, weekdays: 'weekdays' in patch ? [...patch.weekdays] : [3] };
    expect(ruleOfForm(form, '2027-06-09')).toBe(rule);
    if (rule) expect(ruleOfForm(repeatFormOf(rule, '2027-06-09'), '2027-06-09')).toBe(rule);
  });

  it('the fifth weekday of a month is "the last"; a rule the form cannot show is kept as it is', () => {
    expect(ruleOfForm({ ...repeatFormOf(null, '2027-06-30'), kind: 'monthlyNth' }, '2027-06-30')).toBe('FREQ=MONTHLY;BYDAY=-1WE');
    const custom = repeatFormOf('FREQ=MONTHLY;BYMONTHDAY=1,15', '2027-06-09');
    expect(custom.kind).toBe('custom');
    expect(ruleOfForm(custom, '2027-06-09')).toBe('FREQ=MONTHLY;BYMONTHDAY=1,15');
  });
});

describe('a rule in words', () => {
  it.each([
    ['FREQ=WEEKLY;BYDAY=WE;UNTIL=20271231', 'Every week on Wed, until Dec 31, 2027', '每週三，直到 2027年12月31日'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR', 'Every 2 weeks on Mon, Fri', '每 2 週的週一、五'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'Every month on the last Friday', '每月最後一個星期五'],
    ['FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3', 'Every month on day 15, 3 times', '每月 15 日，共 3 次'],
    ['FREQ=YEARLY', 'Every year', '每年'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15', 'Repeats (FREQ=MONTHLY;BYMONTHDAY=1,15)', '重複（FREQ=MONTHLY;BYMONTHDAY=1,15）'],
  ])('%s', (rule, english, chinese) => {
    expect(repeatWords(rule, tEn, 'en')).toBe(english);
    expect(repeatWords(rule, tZh, 'zh-TW')).toBe(chinese);
  });

  it('an occurrence is marked ↻ with its rule; a single exception is not', () => {
    expect(exceptionTitle('Unavailable', { recurrence: 'FREQ=YEARLY' }, { 'FREQ=YEARLY': 'Every year' })).toBe('Unavailable ↻ Every year');
    expect(exceptionTitle('Unavailable', { recurrence: null }, {})).toBe('Unavailable');
  });
});
