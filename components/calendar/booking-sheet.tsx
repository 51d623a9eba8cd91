'use client';

/*
 * The booking sheet: book an appointment from a calendar (issue 14, item 1). Reused by every view
 * that offers a tapped free time (day view here; week and team views open it the same way), so its
 * props depend on no view:
 *
 *   <BookingSheet                      // load it with lazySheet(), which adds `intl: SheetMessages`
 *     practitioners={[{ id, name }]}   // whom the caller may book for (the practitioner, or all for an admin)
 *     practitionerId={id}              // preselected practitioner
 *     date="YYYY-MM-DD"
 *     start="HH:MM" | null             // the tapped time: preselected when it is an offered start,
 *                                      //   else (staff) prefilled as "another time"
 *     actions={BookingActions}         // app/(app)/calendar/booking-actions.ts, passed down by the page
 *     onClose={() => …}
 *     onBooked={(appointment) => …}    // optional; the sheet already calls router.refresh()
 *     onUnavailable={() => …}          // optional: shows an "Unavailable" tab that hands over to the
 *                                      //   exception sheet (Google Calendar's event/task choice)
 *   />
 *
 * Steps on one scrolling sheet: find the patient (name, phone or LINE id) or create one; pick the
 * type; pick one of the engine's offered starts (chips) or another time; Book. A time that is not
 * offered comes back as the service's `outside_hours` warning, and "Book anyway" sends it
 * confirmed. One idempotency key per sheet: a double tap (or a retry) books once.
 */

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { parseTime } from '@/lib/availability/time';
import type { ActionState } from '@/lib/errors';
import type { AppointmentDto, PatientDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { Field } from '../ui/field';
import { Input } from '../ui/input';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { TimeInput } from '../ui/time-input';
import { useAction } from '../ui/use-action';

export interface BookingTypeOption {
  id: number;
  name: string;
  duration_minutes: number;
}
export interface NewPatientBody {
  full_name: string;
  phone_number?: string | null;
  line_user_id?: string | null;
}
export interface BookingBody {
  practitioner_id: number;
  patient_id: number;
  appointment_type_id: number;
  date: string;
  start_time: string;
}

/** The server actions the sheet calls (app/(app)/calendar/booking-actions.ts). */
export interface BookingActions {
  searchPatients: (q: string) => Promise<ActionState<PatientDto[]>>;
  types: () => Promise<ActionState<BookingTypeOption[]>>;
  offeredStarts: (practitionerId: number, appointmentTypeId: number, date: string) => Promise<ActionState<string[]>>;
  createPatient: (practitionerId: number, body: NewPatientBody) => Promise<ActionState<PatientDto>>;
  book: (body: BookingBody, confirm: boolean, key: string) => Promise<ActionState<AppointmentDto>>;
}

export interface BookingSheetProps {
  practitioners: ReadonlyArray<{ id: number; name: string }>;
  practitionerId: number;
  date: string;
  /** the date as the sheet's description shows it; the plain date when left out */
  dateLabel?: string;
  start: string | null;
  actions: BookingActions;
  onClose: () => void;
  onBooked?: (appointment: AppointmentDto) => void;
  onUnavailable?: () => void;
}

const SELECT = 'h-11 min-w-0 rounded-lg border border-line bg-surface px-2 text-base text-ink';
const OTHER = 'other';

/** A key for one intended booking; getRandomValues works on plain http too (randomUUID does not). */
function newKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `book-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function BookingSheet({
  practitioners,
  practitionerId,
  date,
  dateLabel,
  start,
  actions,
  onClose,
  onBooked,
  onUnavailable,
}: BookingSheetProps) {
  const t = useTranslations('calendarBook');
  const errors = useActionErrors();
  const router = useRouter();
  const [key] = useState(newKey);
  const [who, setWho] = useState(practitionerId);
  const [patient, setPatient] = useState<PatientDto | null>(null);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<PatientDto[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [draft, setDraft] = useState({ name: '', phone: '', line: '' });
  const [types, setTypes] = useState<BookingTypeOption[] | null>(null);
  const [typeId, setTypeId] = useState<number | null>(null);
  const [offeredFor, setOfferedFor] = useState<{ key: string; starts: string[] } | null>(null);
  // The chosen start: an offered one, or OTHER with `otherTime`.
  const [choice, setChoice] = useState<string | null>(null);
  const [otherTime, setOtherTime] = useState(start ?? '');
  const [warning, setWarning] = useState<{ reasons: string[] } | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const booking = useAction<AppointmentDto>();
  const adding = useAction<PatientDto>();

  // The clinic's types, once.
  useEffect(() => {
    let live = true;
    void actions.types().then((r) => {
      if (!live || r.status !== 'ok') return;
      setTypes(r.data);
      setTypeId((current) => current ?? r.data[0]?.id ?? null);
    });
    return () => {
      live = false;
    };
  }, [actions]);

  // The engine's starts for the practitioner, type and date; the tapped time is preselected when offered.
  useEffect(() => {
    if (typeId === null) return;
    let live = true;
    void actions.offeredStarts(who, typeId, date).then((r) => {
      if (!live) return;
      const starts = r.status === 'ok' ? r.data : [];
      setOfferedFor({ key: `${who}/${typeId}`, starts });
      setChoice((current) => {
        if (current === OTHER || (current !== null && starts.includes(current))) return current;
        if (start !== null && starts.includes(start)) return start;
        return start !== null ? OTHER : null;
      });
    });
    return () => {
      live = false;
    };
  }, [actions, who, typeId, date, start]);

  // Patients as the text is typed (a short pause first).
  useEffect(() => {
    if (patient || creating) return;
    let live = true;
    const timer = setTimeout(() => {
      void actions.searchPatients(query).then((r) => {
        if (live) setFound(r.status === 'ok' ? r.data : []);
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [actions, query, patient, creating]);

  // The starts of the chosen practitioner and type (null while they load).
  const offered = offeredFor?.key === `${who}/${typeId}` ? offeredFor.starts : null;
  const startTime = choice === OTHER ? otherTime : choice;

  function addPatient() {
    if (draft.name.trim() === '') return setLocalError(t('nameRequired'));
    setLocalError(null);
    adding.run(
      () =>
        actions.createPatient(who, {
          full_name: draft.name.trim(),
          phone_number: draft.phone.trim() || null,
          line_user_id: draft.line.trim() || null,
        }),
      {
        ok: (p) => {
          setPatient(p);
          setCreating(false);
        },
      },
    );
  }

  function book(confirm: boolean) {
    if (!patient || typeId === null || !startTime) return;
    if (parseTime(startTime) === null || startTime === '24:00') return setLocalError(t('timeInvalid'));
    setLocalError(null);
    booking.run(
      () => actions.book({ practitioner_id: who, patient_id: patient.id, appointment_type_id: typeId, date, start_time: startTime }, confirm, key),
      {
        ok: (appointment) => {
          onBooked?.(appointment);
          onClose();
          router.refresh();
        },
        warning: (details) => setWarning({ reasons: (details.reasons as string[] | undefined) ?? [] }),
      },
    );
  }

  const ready = patient !== null && typeId !== null && !!startTime;
  const bookError = booking.state.status === 'warning' ? null : errors.message(booking.state);
  const addError = errors.message(adding.state);
  const footer = warning ? (
    <>
      <Button onClick={() => setWarning(null)}>{t('back')}</Button>
      <Button variant="primary" disabled={booking.pending} onClick={() => book(true)}>
        {t('bookAnyway')}
      </Button>
    </>
  ) : (
    <>
      <Button onClick={onClose}>{t('cancel')}</Button>
      <Button variant="primary" disabled={!ready || booking.pending} onClick={() => book(false)}>
        {booking.pending ? t('booking') : t('book')}
      </Button>
    </>
  );

  return (
    <ResponsiveDialog title={t('title')} description={dateLabel ?? date} onClose={onClose} footer={footer}>
      {onUnavailable ? (
        <div role="group" aria-label={t('kind')} className="mb-3 grid grid-cols-2 gap-1 rounded-full bg-grayed p-1">
          <button type="button" aria-pressed="true" className="h-11 rounded-full bg-surface font-medium shadow-sm">
            {t('appointment')}
          </button>
          <button type="button" aria-pressed="false" className="h-11 rounded-full text-muted" onClick={onUnavailable}>
            {t('unavailable')}
          </button>
        </div>
      ) : null}
      <fieldset disabled={warning !== null || booking.pending} className="flex min-w-0 flex-col gap-4">
        {practitioners.length > 1 ? (
          <Field label={t('practitioner')}>
            {(control) => (
              <select {...control} className={SELECT} value={who} onChange={(e) => setWho(Number(e.target.value))}>
                {practitioners.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}

        <section aria-label={t('patient')} className="flex flex-col gap-2">
          {patient ? (
            <div className="flex items-center gap-2 rounded-2xl bg-primary-soft px-3 py-2">
              <div className="min-w-0 flex-1">
                <p className="truncate font-medium" data-testid="booking-patient">
                  {patient.full_name}
                </p>
                {patient.phone_number ? <p className="truncate text-sm text-muted">{patient.phone_number}</p> : null}
              </div>
              <Button size="sm" onClick={() => setPatient(null)}>
                {t('changePatient')}
              </Button>
            </div>
          ) : creating ? (
            <div className="flex flex-col gap-3 rounded-2xl border border-line p-3">
              <h3 className="font-medium">{t('newPatient')}</h3>
              <Field label={t('name')}>
                {(control) => (
                  <Input {...control} value={draft.name} autoComplete="off" onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
                )}
              </Field>
              <Field label={t('phone')}>
                {(control) => (
                  <Input
                    {...control}
                    type="tel"
                    inputMode="tel"
                    value={draft.phone}
                    onChange={(e) => setDraft({ ...draft, phone: e.target.value })}
                  />
                )}
              </Field>
              <Field label={t('lineId')}>
                {(control) => (
                  <Input {...control} value={draft.line} autoComplete="off" onChange={(e) => setDraft({ ...draft, line: e.target.value })} />
                )}
              </Field>
              {addError ? (
                <p role="alert" className="text-sm text-danger">
                  {addError}
                </p>
              ) : null}
              <div className="flex justify-end gap-2">
                <Button onClick={() => setCreating(false)}>{t('cancel')}</Button>
                <Button variant="primary" disabled={adding.pending} onClick={addPatient}>
                  {t('addPatient')}
                </Button>
              </div>
            </div>
          ) : (
            <>
              <Field label={t('findPatient')}>
                {(control) => (
                  <Input
                    {...control}
                    type="search"
                    value={query}
                    autoComplete="off"
                    placeholder={t('findHint')}
                    onChange={(e) => setQuery(e.target.value)}
                  />
                )}
              </Field>
              <ul aria-label={t('results')} className="flex flex-col gap-1">
                {(found ?? []).map((p) => (
                  <li key={p.id}>
                    <button
                      type="button"
                      className="flex min-h-11 w-full items-center justify-between gap-2 rounded-xl px-3 py-2 text-left hover:bg-grayed"
                      onClick={() => setPatient(p)}
                    >
                      <span className="truncate">{p.full_name}</span>
                      <span className="shrink-0 text-sm text-muted">{p.phone_number ?? ''}</span>
                    </button>
                  </li>
                ))}
                {found !== null && found.length === 0 && query.trim() !== '' ? (
                  <li className="px-3 py-2 text-sm text-muted">{t('noMatch')}</li>
                ) : null}
              </ul>
              <Button
                className="self-start"
                onClick={() => {
                  setCreating(true);
                  setDraft({
                    name: /^[0-9+()\-\s]+$/.test(query) ? '' : query.trim(),
                    phone: /^[0-9+()\-\s]+$/.test(query) ? query.trim() : '',
                    line: '',
                  });
                }}
              >
                + {t('newPatient')}
              </Button>
            </>
          )}
        </section>

        <Field label={t('type')}>
          {(control) => (
            <select
              {...control}
              className={SELECT}
              value={typeId ?? ''}
              disabled={types === null}
              onChange={(e) => setTypeId(Number(e.target.value))}
            >
              {(types ?? []).map((ty) => (
                <option key={ty.id} value={ty.id}>
                  {t('typeOption', { name: ty.name, minutes: ty.duration_minutes })}
                </option>
              ))}
            </select>
          )}
        </Field>

        <div role="radiogroup" aria-label={t('time')} className="flex flex-col gap-2">
          <p className="text-sm">{t('time')}</p>
          {offered === null ? (
            <p className="text-sm text-muted">{t('loadingTimes')}</p>
          ) : (
            <div className="flex flex-wrap gap-2">
              {offered.length === 0 ? <p className="text-sm text-muted">{t('noTimes')}</p> : null}
              {offered.map((s) => (
                <Chip key={s} checked={choice === s} onClick={() => setChoice(s)}>
                  {s}
                </Chip>
              ))}
              <Chip checked={choice === OTHER} onClick={() => setChoice(OTHER)}>
                {t('otherTime')}
              </Chip>
            </div>
          )}
          {choice === OTHER ? (
            <Field label={t('otherTimeLabel')}>
              {(control) => <TimeInput {...control} value={otherTime} onChange={(e) => setOtherTime(e.target.value)} />}
            </Field>
          ) : null}
        </div>
      </fieldset>

      {(localError ?? bookError) ? (
        <p role="alert" className="mt-3 text-sm text-danger">
          {localError ?? bookError}
        </p>
      ) : null}
      {warning ? (
        <section role="alert" aria-labelledby="booking-warning-title" className="mt-4 rounded-2xl bg-exception-soft p-3">
          <h3 id="booking-warning-title" className="font-medium">
            {t('warningTitle', { time: startTime ?? '' })}
          </h3>
          <ul className="mt-1 list-disc pl-5 text-sm">
            {warning.reasons.map((r) => (
              <li key={r}>{t.has(`reason.${r}`) ? t(`reason.${r}`) : r}</li>
            ))}
          </ul>
          <p className="mt-2 text-sm text-muted">{t('warningBody')}</p>
        </section>
      ) : null}
    </ResponsiveDialog>
  );
}

function Chip({ checked, onClick, children }: { checked: boolean; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      role="radio"
      aria-checked={checked}
      onClick={onClick}
      className={cn(
        'h-11 min-w-16 rounded-full border px-3 tabular-nums',
        checked ? 'border-primary bg-primary text-white' : 'border-line bg-surface text-ink hover:bg-grayed',
      )}
    >
      {children}
    </button>
  );
}
