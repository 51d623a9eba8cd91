/**
 * The accessible names of a month's day links ("November 24, 2026: 3 appointments, with unavailable
 * time"). A month shows up to 42 dates but only a few distinct wordings (one per count, and the
 * unavailable suffix): each wording is formatted once, with a placeholder where the date goes, and
 * the dates are put in. The same text as formatting every day, because the catalog's `{date}` and
 * `{label}` are plain arguments, inserted as they are (test/calendar/day-labels.test.ts checks both
 * languages); a page of ICU formatting per day was most of the month view's own server time.
 *
 * A wording depends only on the language's catalog, which is part of the build: the month view keeps
 * them per language for the process (`templates`), so a page formats only the counts none had before.
 */
const SLOT = '\uE000';

const fill = (template: string, text: string) => template.split(SLOT).join(text);

/** Wordings with the placeholder, kept between calls (one per language). */
export interface DayLabelTemplates {
  counted: Map<number, string>;
  unavailable?: string;
}

export function dayLabels(input: {
  /** every date the grid shows, `YYYY-MM-DD` */
  dates: string[];
  /** a date's long text */
  dateText: (date: string) => string;
  /** confirmed appointments per date of the month; dates without a count are named by their date alone */
  counts: Record<string, number>;
  /** dates with unavailable time */
  unavailable: Record<string, number>;
  /** the catalog's `dayLabel` for a date text and a count */
  counted: (date: string, count: number) => string;
  /** the catalog's `dayLabelUnavailable` around a label */
  withUnavailable: (label: string) => string;
  /** wordings formatted by earlier calls in the same language, added to by this one */
  templates?: DayLabelTemplates;
}): Record<string, string> {
  const templates = input.templates ?? { counted: new Map<number, string>() };
  const labels: Record<string, string> = {};
  for (const date of input.dates) {
    const dateText = input.dateText(date);
    const count = input.counts[date];
    let label = dateText;
    if (count !== undefined) {
      let template = templates.counted.get(count);
      if (template === undefined) templates.counted.set(count, (template = input.counted(SLOT, count)));
      label = fill(template, dateText);
    }
    if (input.unavailable[date]) {
      templates.unavailable ??= input.withUnavailable(SLOT);
      label = fill(templates.unavailable, label);
    }
    labels[date] = label;
  }
  return labels;
}
