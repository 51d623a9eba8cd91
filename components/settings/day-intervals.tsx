'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { findIntervalProblem, formatInterval, formatTime, parseTime, type Interval, WEEKDAYS, type Weekday } from '@/lib/availability';

interface Props {
  day: Weekday;
  intervals: Interval[];
  editable: boolean;
  disabled: boolean;
  onChange: (intervals: Interval[]) => void;
  onCopy: (to: Weekday[]) => void;
}

/** One weekday of the design's "Weekly Schedule Interface": its intervals, add, remove, copy. */
export function DayIntervals({ day, intervals, editable, disabled, onChange, onCopy }: Props) {
  const t = useTranslations('settings');
  const tDay = useTranslations('weekdays');
  const [adding, setAdding] = useState(false);
  const [start, setStart] = useState('09:00');
  const [end, setEnd] = useState('12:00');
  const [error, setError] = useState<string | null>(null);
  const [copying, setCopying] = useState(false);
  const [copyTargets, setCopyTargets] = useState<Weekday[]>([]);
  const dayName = tDay(day);
  const headingId = `day-${day}`;

  function add() {
    const s = parseTime(start);
    const e = parseTime(end === '00:00' ? '24:00' : end);
    if (s === null || e === null || s === 1440) return setError(t('errorInvalidTime'));
    const candidate = { start: s, end: e };
    const problem = findIntervalProblem([...intervals, candidate]);
    if (problem?.kind === 'invalid_time_range') return setError(t('errorRange'));
    if (problem?.kind === 'overlapping_intervals') {
      const other = problem.intervals.find((i) => i !== candidate) ?? problem.intervals[0];
      return setError(t('errorOverlap', { interval: formatInterval(candidate).replace('-', ' - '), other: formatInterval(other).replace('-', ' - ') }));
    }
    setError(null);
    setAdding(false);
    onChange([...intervals, candidate].sort((a, b) => a.start - b.start));
  }

  return (
    <section aria-labelledby={headingId} className="border-b border-line px-4 py-3">
      <div className="flex items-center justify-between gap-2">
        <h3 id={headingId} className="font-medium">{dayName}</h3>
        {editable && intervals.length > 0 ? (
          <button type="button" aria-label={t('copyDayTo', { day: dayName })} aria-expanded={copying} disabled={disabled}
            onClick={() => { setCopying((c) => !c); setCopyTargets([]); }}
            className="h-11 rounded-full px-3 text-sm text-primary hover:bg-primary-soft">{t('copy')}</button>
        ) : null}
      </div>
      <ul className="mt-1 flex flex-col">
        {intervals.length === 0 ? <li className="py-2 text-sm text-muted">{t('noHours')}</li> : null}
        {intervals.map((i) => {
          const label = t('interval', { start: formatTime(i.start), end: formatTime(i.end) });
          return (
            <li key={`${i.start}-${i.end}`} className="flex min-h-11 items-center justify-between">
              <span>• {label}</span>
              {editable ? (
                <button type="button" disabled={disabled} aria-label={t('removeInterval', { start: formatTime(i.start), end: formatTime(i.end), day: dayName })}
                  onClick={() => onChange(intervals.filter((x) => x !== i))}
                  className="h-11 rounded-full px-3 text-sm text-danger hover:bg-exception-soft">{t('remove')}</button>
              ) : null}
            </li>
          );
        })}
      </ul>
      {editable && adding ? (
        <div role="group" aria-label={t('addIntervalTo', { day: dayName })} className="mt-2 flex flex-wrap items-end gap-2 rounded-2xl bg-grayed p-3">
          <label className="flex flex-col text-sm">{t('startTime')}
            <input type="time" step={300} value={start} onChange={(e) => setStart(e.target.value)} className="h-11 rounded-lg border border-line bg-surface px-2 text-base" />
          </label>
          <label className="flex flex-col text-sm">{t('endTime')}
            <input type="time" step={300} value={end} onChange={(e) => setEnd(e.target.value)} className="h-11 rounded-lg border border-line bg-surface px-2 text-base" />
          </label>
          <div className="flex gap-1">
            <button type="button" onClick={add} className="h-11 rounded-full bg-primary px-4 font-medium text-white">{t('add')}</button>
            <button type="button" onClick={() => { setAdding(false); setError(null); }} className="h-11 rounded-full px-3 text-primary">{t('cancel')}</button>
          </div>
          {error ? <p role="alert" className="w-full text-sm text-danger">{error}</p> : null}
        </div>
      ) : null}
      {editable && !adding ? (
        <button type="button" disabled={disabled} aria-label={t('addIntervalTo', { day: dayName })} onClick={() => setAdding(true)}
          className="mt-1 h-11 rounded-full px-2 text-sm font-medium text-primary hover:bg-primary-soft">{t('addInterval')}</button>
      ) : null}
      {editable && copying ? (
        <fieldset className="mt-2 rounded-2xl bg-grayed p-3">
          <legend className="sr-only">{t('copyTo', { day: dayName })}</legend>
          <p className="text-sm text-muted" aria-hidden="true">{t('copyTo', { day: dayName })}</p>
          <div className="mt-1 grid grid-cols-2 gap-x-2">
            {WEEKDAYS.filter((d) => d !== day).map((d) => (
              <label key={d} className="flex min-h-11 items-center gap-2">
                <input type="checkbox" className="size-5" checked={copyTargets.includes(d)}
                  onChange={(e) => setCopyTargets((ts) => e.target.checked ? [...ts, d] : ts.filter((x) => x !== d))} />
                {tDay(d)}
              </label>
            ))}
          </div>
          <div className="mt-2 flex justify-end gap-1">
            <button type="button" onClick={() => setCopying(false)} className="h-11 rounded-full px-3 text-primary">{t('cancel')}</button>
            <button type="button" disabled={copyTargets.length === 0 || disabled}
              onClick={() => { onCopy(copyTargets); setCopying(false); }}
              className="h-11 rounded-full bg-primary px-4 font-medium text-white disabled:opacity-50">{t('copyApply')}</button>
          </div>
        </fieldset>
      ) : null}
    </section>
  );
}
