import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { parseTime } from '@/lib/availability/time';
import type { DayEventDto } from '@/lib/queries/calendar';
import type { TeamDayDto } from '@/lib/queries/week';
import { addDays } from '@/lib/time/dates';
import { buttonVariants } from '../ui/button';
import { cn } from '../ui/cn';
import type { CancelAppointment, SheetMove } from './appointment-sheet';
import type { BookingActions } from './booking-sheet';
import { sheetMessages } from './calendar-messages';
import { dateAsUtc, dayGridHours } from './calendar-time';
import { ClinicDayNote } from './clinic-day-note';
import type { ExceptionActions } from './exception-sheet';
import { TeamBoard, type TeamEvent } from './team-board';
import { exceptionTitle, repeatsOf, type CalendarT } from './repeat-rule';
import { ViewSwitcher } from './view-switcher';
import { TEAM_PX_PER_MINUTE, teamHref } from './view-links';

interface Props {
  team: TeamDayDto;
  /** the practitioner the view switcher's month, week and day links open (the caller, else the first) */
  practitionerId: number | null;
  /** the clinic's now, `YYYY-MM-DDTHH:MM:00` */
  now: string;
  actions: ExceptionActions & { cancelAppointment: CancelAppointment };
  /** moving and attendance in the columns the caller manages */
  move: SheetMove | null;
  /** booking from a tap on a managed column's free time; null: not offered */
  booking: { actions: BookingActions } | null;
}

const minutes = (hhmm: string) => parseTime(hhmm === '24:00:00' ? '24:00' : hhmm.slice(0, 5)) ?? 0;

/**
 * The front desk's day: every active practitioner a column with their working hours (the rest
 * grayed), exceptions and appointments. Drawn entirely on the server as a CSS grid (no FullCalendar:
 * its multi-column resource views are not free), so 50 columns cost no script; the names stay on top
 * and the hours on the left while the grid scrolls both ways. team-board.tsx handles the taps.
 */
export async function TeamView({ team, practitionerId, now, actions, move, booking }: Props) {
  const t = await getTranslations('calendarViews');
  const tc = await getTranslations('calendar');
  const repeats = repeatsOf(
    team.columns.map((c) => c.day),
    tc as unknown as CalendarT,
    await getLocale(),
  );
  const tm = await getTranslations('calendarMove');
  const format = await getFormatter();
  const { date } = team;
  const when = dateAsUtc(date);
  const dateLabel = format.dateTime(when, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  const shortLabel = format.dateTime(when, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const hours = dayGridHours(
    team.columns.flatMap((c) => c.day.default_schedule),
    team.columns.flatMap((c) => [...c.day.events, ...c.day.busy]),
  );
  const first = minutes(hours.min);
  const last = minutes(hours.max);
  const height = (last - first) * TEAM_PX_PER_MINUTE;
  const top = (hhmm: string) => (minutes(hhmm) - first) * TEAM_PX_PER_MINUTE;
  const span = (start: string, end: string) => ({ top: top(start), height: Math.max((minutes(end) - minutes(start)) * TEAM_PX_PER_MINUTE, 22) });
  const hourMarks = Array.from({ length: (last - first) / 60 }, (_, i) => first + i * 60);
  const nowMinutes = now.slice(0, 10) === date ? minutes(now.slice(11, 16)) : null;
  const navButton = buttonVariants({ variant: 'ghost', size: 'icon' });
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

  // The clinic calendar's day is the clinic's: named once above the columns.
  const clinicDay = team.columns.find((c) => c.day.clinic_day)?.day.clinic_day ?? null;

  // What a tap on an event opens, by its calendar event id.
  const events: Record<string, TeamEvent> = {};
  for (const c of team.columns) {
    for (const e of c.day.events) events[String(e.calendar_event_id)] = { practitionerId: c.practitioner.id, canManage: c.can_manage, event: e };
  }
  const eventLabel = (e: DayEventDto) =>
    e.type === 'appointment'
      ? `${e.title} ${e.start_time}-${e.end_time}`
      : `${exceptionTitle(tc('unavailable'), e, repeats)} ${e.start_time && e.end_time ? `${e.start_time}-${e.end_time}` : tc('allDay')}`;

  return (
    <div className="flex flex-col">
      <div className="flex flex-wrap items-center gap-1 px-2 pt-2 pb-1">
        <h1 className="min-w-0 flex-1 px-2 text-lg font-medium">
          <span className="sr-only sm:not-sr-only">{t('teamTitle')} - </span>
          <span className="sm:hidden">{shortLabel}</span>
          <span className="hidden sm:inline">{dateLabel}</span>
        </h1>
        <Link href={teamHref(addDays(date, -1))} aria-label={tc('previousDay')} className={navButton}>
          ‹
        </Link>
        <Link href={teamHref(addDays(date, 1))} aria-label={tc('nextDay')} className={navButton}>
          ›
        </Link>
        {practitionerId !== null ? (
          <ViewSwitcher current="team" practitionerId={practitionerId} date={date} className="w-full justify-center sm:w-auto" />
        ) : null}
      </div>
      {clinicDay ? <ClinicDayNote clinicDay={{ ...clinicDay, observed: true }} /> : null}
      {team.columns.length === 0 ? (
        <p className="p-4 text-muted">{tc('noPractitioner')}</p>
      ) : (
        <TeamBoard
          date={date}
          dateLabel={dateLabel}
          firstMinute={first}
          columns={team.columns.map((c) => ({ practitionerId: c.practitioner.id, canManage: c.can_manage }))}
          events={events}
          actions={actions}
          move={move}
          now={now}
          booking={
            booking
              ? {
                  actions: booking.actions,
                  // The sheet may book into any column the caller manages: their own, or every one for an admin.
                  practitioners: team.columns.filter((c) => c.can_manage).map((c) => c.practitioner),
                }
              : null
          }
          intl={await sheetMessages()}
          label={t('teamGrid')}
        >
          <div
            className="grid min-w-fit"
            style={{ gridTemplateColumns: `3.5rem repeat(${team.columns.length}, minmax(8.5rem, 1fr))` }}
            data-team-grid=""
          >
            <div className="sticky top-0 left-0 z-30 border-b border-line bg-surface" />
            {team.columns.map((c) => (
              // Each column's name is a heading (a screen reader's way from one practitioner to the next).
              <h2
                key={c.practitioner.id}
                className="sticky top-0 z-20 flex h-11 items-center justify-center truncate border-b border-l border-line bg-surface px-2 text-sm font-medium"
              >
                {c.practitioner.name}
              </h2>
            ))}
            <div className="sticky left-0 z-10 border-r border-line bg-surface" style={{ height }} aria-hidden="true">
              <div className="relative h-full">
                {hourMarks.map((m) => (
                  <span
                    key={m}
                    className="absolute right-1 -translate-y-1/2 text-xs text-muted first:translate-y-0"
                    style={{ top: (m - first) * TEAM_PX_PER_MINUTE }}
                  >
                    {hhmm(m)}
                  </span>
                ))}
              </div>
            </div>
            {team.columns.map((c) => {
              const id = c.practitioner.id;
              return (
                <div
                  key={id}
                  role="group"
                  aria-label={c.practitioner.name}
                  data-column={id}
                  className={cn('relative border-l border-line bg-grayed', c.can_manage ? 'cursor-pointer' : '')}
                  style={{ height }}
                >
                  {c.day.default_schedule.map((w) => (
                    <div key={w.start_time} data-working="" className="absolute inset-x-0 bg-surface" style={span(w.start_time, w.end_time)} />
                  ))}
                  {hourMarks.map((m) => (
                    <div
                      key={m}
                      className="pointer-events-none absolute inset-x-0 border-t border-line/60"
                      style={{ top: (m - first) * TEAM_PX_PER_MINUTE }}
                    />
                  ))}
                  {c.day.busy.map((b, i) => (
                    <div
                      key={`busy-${i}`}
                      className="absolute inset-x-1 overflow-hidden rounded bg-busy px-1 text-xs text-busy-ink opacity-80"
                      style={b.start_time && b.end_time ? span(b.start_time, b.end_time) : { top: 0, height }}
                    >
                      {tc('busyGoogle')}
                    </div>
                  ))}
                  {c.day.events.map((e) => {
                    const key = String(e.calendar_event_id);
                    const allDay = !e.start_time || !e.end_time;
                    return (
                      <button
                        key={key}
                        type="button"
                        data-event={key}
                        aria-label={eventLabel(e)}
                        className={cn(
                          'absolute inset-x-1 flex flex-col items-start overflow-hidden rounded px-1 py-0.5 text-left text-xs leading-tight text-white',
                          e.type === 'availability_exception' ? 'bg-exception' : e.outside_hours ? 'bg-outside-hours' : 'bg-appointment',
                          allDay ? 'opacity-85' : '',
                        )}
                        style={allDay ? { top: 0, height } : span(e.start_time!, e.end_time!)}
                      >
                        <span className="w-full truncate font-medium">
                          {e.type === 'appointment' ? e.title : exceptionTitle(tc('unavailable'), e, repeats)}
                        </span>
                        <span className="truncate">{allDay ? tc('allDay') : `${e.start_time}-${e.end_time}`}</span>
                        {e.type === 'appointment' && e.outside_hours ? (
                          <span className="w-fit rounded bg-white px-1 font-medium text-outside-hours">{tc('outsideHours')}</span>
                        ) : null}
                        {e.type === 'appointment' && e.attendance ? (
                          <span
                            className={cn('w-fit rounded bg-white px-1 font-medium', e.attendance === 'no_show' ? 'text-danger' : 'text-success')}
                          >
                            {e.attendance === 'no_show' ? tm('noShow') : tm('arrived')}
                          </span>
                        ) : null}
                      </button>
                    );
                  })}
                  {nowMinutes !== null && nowMinutes >= first && nowMinutes <= last ? (
                    <div
                      className="pointer-events-none absolute inset-x-0 border-t-2 border-exception"
                      style={{ top: (nowMinutes - first) * TEAM_PX_PER_MINUTE }}
                    />
                  ) : null}
                </div>
              );
            })}
          </div>
        </TeamBoard>
      )}
    </div>
  );
}
