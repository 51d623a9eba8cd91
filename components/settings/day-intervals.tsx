'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { findIntervalProblem, formatInterval, formatTime, parseTime, type Interval, WEEKDAYS, type Weekday } from '@/lib/availability';
import { Button } from '../ui/button';
import { TimeInput } from '../ui/time-input';

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
  // Which of the new interval's times the error is about (both for an overlap), and the message.
  const [error, setError] = useState<{ message: string; start: boolean; end: boolean } | null>(null);
  const errorId = useId();
  const [copying, setCopying] = useState(false);
  const [copyTargets, setCopyTargets] = useState<Weekday[]>([]);
  const dayName = tDay(day);
  const headingId = `day-${day}`;

  function add() {
    const s = parseTime(start);
    const e = parseTime(end === '00:00' ? '24:00' : end);
    if (s === null || s === 1440) return setError({ message: t('errorInvalidTime'), start: true, end: false });
    if (e === null) return setError({ message: t('errorInvalidTime'), start: false, end: true });
    const candidate = { start: s, end: e };
    const problem = findIntervalProblem([...intervals, candidate]);
    if (problem?.kind === 'invalid_time_range') return setError({ message: t('errorRange'), start: false, end: true });
    if (problem?.kind === 'overlapping_intervals') {
      const other = problem.intervals.find((i) => i !== candidate) ?? problem.intervals[0];
      const message = t('errorOverlap', {
        interval: formatInterval(candidate).replace('-', ' - '),
        other: formatInterval(other).replace('-', ' - '),
      });
      return setError({ message, start: true, end: true });
    }
    setError(null);
    setAdding(false);
    onChange([...intervals, candidate].sort((a, b) => a.start - b.start));
  }

  return (
    <section aria-labelledby={headingId} className="border-b border-line px-4 py-3">
      <div className="flex items-center justify-between gap-2">
        <h3 id={headingId} className="font-medium">
          {dayName}
        </h3>
        {editable && intervals.length > 0 ? (
          <Button
            size="sm"
            className="font-normal"
            aria-label={t('copyDayTo', { day: dayName })}
            aria-expanded={copying}
            disabled={disabled}
            onClick={() => {
              setCopying((c) => !c);
              setCopyTargets([]);
            }}
          >
            {t('copy')}
          </Button>
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
                <Button
                  variant="dangerText"
                  size="sm"
                  className="font-normal"
                  disabled={disabled}
                  aria-label={t('removeInterval', { start: formatTime(i.start), end: formatTime(i.end), day: dayName })}
                  onClick={() => onChange(intervals.filter((x) => x !== i))}
                >
                  {t('remove')}
                </Button>
              ) : null}
            </li>
          );
        })}
      </ul>
      {editable && adding ? (
        <div role="group" aria-label={t('addIntervalTo', { day: dayName })} className="mt-2 flex flex-wrap items-end gap-2 rounded-2xl bg-grayed p-3">
          <label className="flex flex-col text-sm">
            {t('startTime')}
            <TimeInput
              value={start}
              onChange={(e) => setStart(e.target.value)}
              aria-invalid={error?.start || undefined}
              aria-describedby={error?.start ? errorId : undefined}
            />
          </label>
          <label className="flex flex-col text-sm">
            {t('endTime')}
            <TimeInput
              value={end}
              onChange={(e) => setEnd(e.target.value)}
              aria-invalid={error?.end || undefined}
              aria-describedby={error?.end ? errorId : undefined}
            />
          </label>
          <div className="flex gap-1">
            <Button variant="primary" className="px-4" onClick={add}>
              {t('add')}
            </Button>
            <Button
              className="px-3 font-normal"
              onClick={() => {
                setAdding(false);
                setError(null);
              }}
            >
              {t('cancel')}
            </Button>
          </div>
          {error ? (
            <p id={errorId} role="alert" className="w-full text-sm text-danger">
              {error.message}
            </p>
          ) : null}
        </div>
      ) : null}
      {editable && !adding ? (
        <Button size="sm" className="mt-1 px-2" disabled={disabled} aria-label={t('addIntervalTo', { day: dayName })} onClick={() => setAdding(true)}>
          {t('addInterval')}
        </Button>
      ) : null}
      {editable && copying ? (
        <fieldset className="mt-2 rounded-2xl bg-grayed p-3">
          <legend className="sr-only">{t('copyTo', { day: dayName })}</legend>
          <p className="text-sm text-muted" aria-hidden="true">
            {t('copyTo', { day: dayName })}
          </p>
          <div className="mt-1 grid grid-cols-2 gap-x-2">
            {WEEKDAYS.filter((d) => d !== day).map((d) => (
              <label key={d} className="flex min-h-11 items-center gap-2">
                <input
                  type="checkbox"
                  className="size-5"
                  checked={copyTargets.includes(d)}
                  onChange={(e) => setCopyTargets((ts) => (e.target.checked ? [...ts, d] : ts.filter((x) => x !== d)))}
                />
                {tDay(d)}
              </label>
            ))}
          </div>
          <div className="mt-2 flex justify-end gap-1">
            <Button className="px-3 font-normal" onClick={() => setCopying(false)}>
              {t('cancel')}
            </Button>
            <Button
              variant="primary"
              className="px-4"
              disabled={copyTargets.length === 0 || disabled}
              onClick={() => {
                onCopy(copyTargets);
                setCopying(false);
              }}
            >
              {t('copyApply')}
            </Button>
          </div>
        </fieldset>
      ) : null}
    </section>
  );
}
