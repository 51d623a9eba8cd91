'use client';

import { useLocale, useTranslations } from 'next-intl';
import { dayOfWeek } from '@/lib/time/dates';
import { Field, NumberField } from '../ui/field';
import { Input } from '../ui/input';
import { cn } from '../ui/cn';
import { nthOfMonth, repeatWords, type CalendarT, type RepeatEnds, type RepeatForm, type RepeatKind } from './repeat-rule';

const MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0];
const select = 'h-11 min-w-0 rounded-lg border border-line bg-surface px-2 text-base text-ink';

const weekday = (locale: string, dow: number, style: 'short' | 'long') =>
  new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' }).format(new Date(Date.UTC(2023, 0, 1 + dow)));

/**
 * Google Calendar's Repeat choices for an unavailable period: does not repeat, every week on chosen
 * weekdays (every N weeks), every month on the date's day or on its nth weekday, every year; ending
 * never, on a date or after a number of times. The rule itself is made by repeat-rule.ts.
 */
export function RepeatControl({ date, form, onChange }: { date: string; form: RepeatForm; onChange: (form: RepeatForm) => void }) {
  const t = useTranslations('calendar');
  const locale = useLocale();
  const tt = t as unknown as CalendarT;
  const set = (patch: Partial<RepeatForm>) => onChange({ ...form, ...patch });
  const nth = nthOfMonth(date);
  const dateWords = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
  const toggle = (dow: number) => {
    const on = form.weekdays.includes(dow);
    // At least one weekday stays chosen (none would repeat on nothing).
    if (on && form.weekdays.length === 1) return;
    set({ weekdays: on ? form.weekdays.filter((d) => d !== dow) : [...form.weekdays, dow] });
  };

  return (
    <div className="flex flex-col gap-3">
      <Field label={t('repeat')}>
        {(control) => (
          <select {...control} className={select} value={form.kind} onChange={(e) => set({ kind: e.target.value as RepeatKind })}>
            <option value="none">{t('repeatNone')}</option>
            <option value="weekly">{t('repeatWeekly')}</option>
            <option value="monthlyDay">{t('repeatMonthlyDay', { day: Number(date.slice(8, 10)) })}</option>
            <option value="monthlyNth">
              {t('repeatMonthlyNth', { nth: tt(nth < 0 ? 'repeatNthLast' : `repeatNth${nth}`), weekday: weekday(locale, dayOfWeek(date), 'long') })}
            </option>
            <option value="yearly">{t('repeatYearly', { date: dateWords })}</option>
            {form.custom ? <option value="custom">{t('repeatKeep', { words: repeatWords(form.custom, tt, locale) })}</option> : null}
          </select>
        )}
      </Field>
      {form.kind === 'weekly' ? (
        <>
          <fieldset className="flex flex-col gap-1 text-sm">
            <legend className="mb-1">{t('repeatOn')}</legend>
            <div className="flex flex-wrap gap-1">
              {MONDAY_FIRST.map((dow) => (
                <button
                  key={dow}
                  type="button"
                  aria-pressed={form.weekdays.includes(dow)}
                  aria-label={weekday(locale, dow, 'long')}
                  onClick={() => toggle(dow)}
                  className={cn(
                    'size-11 rounded-full border border-line text-sm',
                    form.weekdays.includes(dow) ? 'border-primary bg-primary text-white' : 'bg-surface text-ink',
                  )}
                >
                  {weekday(locale, dow, 'short')}
                </button>
              ))}
            </div>
          </fieldset>
          <NumberField label={t('repeatInterval')} min={1} max={52} value={form.interval} onValue={(text) => set({ interval: Number(text) })} />
        </>
      ) : null}
      {form.kind !== 'none' && form.kind !== 'custom' ? (
        <div className="grid grid-cols-2 items-start gap-3">
          <Field label={t('repeatEnds')}>
            {(control) => (
              <select {...control} className={select} value={form.ends} onChange={(e) => set({ ends: e.target.value as RepeatEnds })}>
                <option value="never">{t('repeatEndsNever')}</option>
                <option value="until">{t('repeatEndsOn')}</option>
                <option value="count">{t('repeatEndsAfter')}</option>
              </select>
            )}
          </Field>
          {form.ends === 'until' ? (
            <Field label={t('repeatUntil')}>
              {(control) => <Input {...control} type="date" min={date} value={form.until} onChange={(e) => set({ until: e.target.value })} />}
            </Field>
          ) : form.ends === 'count' ? (
            <NumberField label={t('repeatCount')} min={1} max={1000} value={form.count} onValue={(text) => set({ count: Number(text) })} />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
