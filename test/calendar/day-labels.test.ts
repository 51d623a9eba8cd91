import { createTranslator } from 'next-intl';
import { describe, expect, test } from 'vitest';
import { dayLabels } from '@/components/calendar/day-labels';
import en from '@/messages/en.json';
import zhTW from '@/messages/zh-TW.json';

const catalogs = { en, 'zh-TW': zhTW } as const;
// Late December into early February: every count from 0 to 40 in the month, some dates unavailable.
const dates = Array.from({ length: 42 }, (_, i) => new Date(Date.UTC(2026, 11, 28 + i)).toISOString().slice(0, 10));
const inMonth = dates.filter((d) => d.startsWith('2027-01'));
const counts = Object.fromEntries(inMonth.map((d, i) => [d, i === 3 ? 40 : i % 12]));
const unavailable = Object.fromEntries(inMonth.filter((_, i) => i % 5 === 1).map((d) => [d, 1]));

describe("a month's day labels: each wording formatted once, the same text as formatting every day", () => {
  for (const [locale, messages] of Object.entries(catalogs)) {
    test(locale, () => {
      const t = createTranslator({ locale, messages, namespace: 'calendar' });
      const long = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
      const dateText = (date: string) => long.format(new Date(`${date}T00:00:00Z`));
      let formatted = 0;
      const labels = dayLabels({
        dates,
        dateText,
        counts,
        unavailable,
        counted: (date, count) => (formatted++, t('dayLabel', { date, count })),
        withUnavailable: (label) => (formatted++, t('dayLabelUnavailable', { label })),
      });
      const expected = Object.fromEntries(
        dates.map((date) => {
          const count = counts[date];
          const label = count === undefined ? dateText(date) : t('dayLabel', { date: dateText(date), count });
          return [date, unavailable[date] ? t('dayLabelUnavailable', { label }) : label];
        }),
      );
      expect(labels).toEqual(expected);
      // 12 counts (0 to 11) and 40, and the unavailable wording: 14 formattings for 42 dates.
      expect(formatted).toBe(14);
      // The words are there: a date outside the month has no count, one inside says it.
      expect(labels['2026-12-28']).toBe(dateText('2026-12-28'));
      expect(labels['2027-01-04']).toContain('40');

      // Kept between calls (as the month view keeps them per language): the next month formats only
      // the counts not seen before, and names its days as formatting every day would.
      const templates = { counted: new Map<number, string>() };
      const month = (format: () => void) =>
        dayLabels({
          dates,
          dateText,
          counts,
          unavailable,
          counted: (date, count) => (format(), t('dayLabel', { date, count })),
          withUnavailable: (label) => (format(), t('dayLabelUnavailable', { label })),
          templates,
        });
      let first = 0;
      let again = 0;
      expect(month(() => first++)).toEqual(expected);
      expect(month(() => again++)).toEqual(expected);
      expect([first, again]).toEqual([14, 0]);
    });
  }
});
