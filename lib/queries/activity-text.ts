import type { ActivityKind } from '../schemas/activity';

// How an audit entry reads: a sentence in the reader's language (the catalog's `activity.actions`,
// one message per action) and the page it concerns. Pure: the names it needs are looked up by
// lib/queries/activity.ts and handed in.

/** A translator of the catalog's `activity` namespace (next-intl's, bound to a locale). */
export type ActivityTranslate = (key: string, values?: Record<string, string | number>) => string;
export interface ActivityText {
  locale: string;
  t: ActivityTranslate;
}

/** Every action written to the audit log today, each with its sentence `activity.actions.<action, dots as _>`. */
export const ACTIVITY_ACTIONS = [
  'appointment.booked',
  'appointment.canceled_by_patient',
  'appointment.canceled_by_clinic',
  'appointment.moved',
  'appointment.rescheduled',
  'appointment.google_move_refused',
  'appointment.attendance_marked',
  'availability_exception.created',
  'availability_exception.updated',
  'availability_exception.deleted',
  'availability_exception.cleared',
  'weekly_schedule.replaced',
  'weekly_schedule.copied',
  'patient.created',
  'patient.updated',
  'agent_key.created',
  'agent_key.revoked',
  'google.connected',
  'google_calendar.connected',
  'google_calendar.disconnected',
  'google_calendar.count_busy_changed',
  'outbox_job.retried',
  'member.invited',
  'invitation.withdrawn',
  'invitation.accepted',
  'member.updated',
  'member.deactivated',
  'member.reactivated',
  'member.clinic_calendar_changed',
  'appointment_type.created',
  'appointment_type.updated',
  'appointment_type.archived',
  'appointment_type.restored',
  'clinic.created',
  'clinic.settings_updated',
  'clinic.line_channel_set',
  'clinic.line_channel_removed',
  'clinic.line_channel_tested',
  'clinic.legacy_imported',
  'clinic.calendar_day_added',
  'clinic.calendar_day_updated',
  'clinic.calendar_day_removed',
  'clinic.calendar_imported',
] as const;
const KNOWN: ReadonlySet<string> = new Set(ACTIVITY_ACTIONS);

/** Which actions each kind holds, by the action's prefix. */
export const KIND_PREFIXES: Record<ActivityKind, readonly string[]> = {
  appointments: ['appointment.'],
  availability: ['availability_exception.', 'weekly_schedule.'],
  patients: ['patient.'],
  members: ['member.', 'invitation.'],
  types: ['appointment_type.'],
  settings: ['clinic.'],
  google: ['google_calendar.', 'google.'],
  agent_keys: ['agent_key.'],
  deliveries: ['outbox_job.'],
};

export function kindOf(action: string): ActivityKind | null {
  for (const [kind, prefixes] of Object.entries(KIND_PREFIXES)) if (prefixes.some((p) => action.startsWith(p))) return kind as ActivityKind;
  return null;
}

/** What an entry names, as lib/queries/activity.ts found it. */
export interface ActivityFacts {
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
  practitionerId: number | null;
  patientId: number | null;
  /** the clinic date the entry was written on (dates in sentences name their year only when it differs) */
  clinicDate: string;
  practitioner: string | null;
  patient: string | null;
  /** the appointment type the entry concerns, by id or through its appointment */
  type: string | null;
  /** the member the entry concerns (entity `user`, or the invitation's new member) */
  member: string | null;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const hhmm = (v: unknown): string | null => (typeof v === 'string' && /^\d{2}:\d{2}/.test(v) ? v.slice(0, 5) : null);
const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const dateAsUtc = (date: string) => new Date(`${date}T00:00:00Z`);

function formatDate(text: ActivityText, date: string, thisYear: string): string {
  const withYear = date.slice(0, 4) !== thisYear.slice(0, 4);
  return new Intl.DateTimeFormat(text.locale, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(dateAsUtc(date));
}

/**
 * "Wed, Mar 5, 10:00–11:00" from the shapes details carry: `{date, time: "HH:MM-HH:MM"}`,
 * `{date, start, end}` (null times = all day).
 */
function when(text: ActivityText, span: Json, thisYear: string): string | null {
  if (!isDate(span.date)) return null;
  const date = formatDate(text, span.date, thisYear);
  if (span.time === 'all day') return text.t('whenAllDay', { date });
  const [a, b] = typeof span.time === 'string' ? span.time.split('-') : [span.start, span.end];
  const start = hhmm(a);
  const end = hhmm(b);
  if (start && end) return text.t('when', { date, start, end });
  // An exception's span with both times null is the whole day.
  if (typeof span.time !== 'string' && span.start === null && span.end === null) return text.t('whenAllDay', { date });
  return date;
}

function roleLabel(text: ActivityText, role: unknown, isPractitioner: unknown): string {
  if (role === 'admin') return text.t(isPractitioner === true ? 'rolePractitionerAdmin' : 'roleAdmin');
  return text.t(isPractitioner === false ? 'roleFrontDesk' : 'rolePractitioner');
}

/** Fields of members, types and settings whose changes are named (`activity.field_<name>`). */
const CHANGEABLE: ReadonlySet<string> = new Set([
  'name',
  'role',
  'is_practitioner',
  'timezone',
  'slot_step_minutes',
  'min_notice_minutes',
  'booking_window_days',
  'max_appointments_per_day',
  'max_upcoming_per_patient',
  'cancellation_deadline_hours',
  'duration_minutes',
  'buffer_before_minutes',
  'buffer_after_minutes',
  'color',
]);

/** The fields of a before/after pair that changed, named in the reader's language. */
function changedFields(text: ActivityText, details: Json): string {
  const before = obj(details.before);
  const after = obj(details.after);
  const names = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const named = names.filter((k) => CHANGEABLE.has(k)).map((k) => text.t(`field_${k}`));
  return named.length > 0 ? named.join(text.t('listSeparator')) : text.t('field_other');
}

/** The sentence of an entry; an action this build does not know reads as its raw name. */
export function activitySentence(text: ActivityText, f: ActivityFacts): string {
  if (!KNOWN.has(f.action)) return text.t('unknownAction', { action: f.action });
  const d = f.details;
  const dash = '—';
  const span = (v: unknown) => when(text, obj(v), f.clinicDate) ?? dash;
  const admin = obj(d.admin);
  const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  const values: Record<string, string | number> = {
    practitioner: f.practitioner ?? dash,
    patient: f.patient ?? dash,
    type: str(obj(d.after).name) ?? str(d.name) ?? f.type ?? dash,
    when: span(d.kept ?? d),
    before: span(d.kept ?? d.before),
    after: span(d.attempted ?? d.after),
    from: isDate(d.from) ? formatDate(text, d.from, f.clinicDate) : dash,
    to: isDate(d.to) ? formatDate(text, d.to, f.clinicDate) : dash,
    count: count(d.exception_ids),
    canceled: count(d.canceled_appointments),
    name: f.member ?? str(d.name) ?? str(admin.name) ?? str(d.email) ?? dash,
    email: str(d.email) ?? dash,
    admin: str(admin.name) ?? str(admin.email) ?? dash,
    role: roleLabel(text, d.role, d.is_practitioner),
    changes: changedFields(text, d),
    on: String(d.count_busy === true),
    ok: String(d.ok === true),
    id: f.entityId ?? dash,
    attendance: str(d.after) ?? 'none',
  };
  if (f.action === 'clinic.created') values.name = str(d.name) ?? dash;
  if (f.action === 'clinic.legacy_imported') {
    const tables = Object.values(obj(d.tables)).map(obj);
    values.imported = tables.reduce((n, t) => n + (typeof t.imported === 'number' ? t.imported : 0), 0);
    values.skipped = count(d.skipped);
  }
  if (f.action === 'clinic.calendar_imported') {
    values.year = typeof d.year === 'number' ? d.year : dash;
    values.added = count(d.added);
    values.changed = count(d.changed);
    values.removed = count(d.removed);
  }
  if (f.action === 'member.clinic_calendar_changed') values.on = String(d.observes === true);
  if (f.action === 'weekly_schedule.copied') values.name = str(d.from_practitioner_name) ?? dash;
  if (f.action === 'agent_key.created' || f.action === 'agent_key.revoked') values.name = str(d.name) ?? dash;
  return text.t(`actions.${f.action.replace(/\./g, '_')}`, values);
}

const entityNumber = (f: ActivityFacts) => (f.entityId && /^[1-9]\d{0,9}$/.test(f.entityId) ? Number(f.entityId) : null);

/** The page an entry concerns: an appointment's or exception's day in the calendar, the members, types or settings page. */
export function activityLink(f: ActivityFacts): string | null {
  const d = f.details;
  const kind = kindOf(f.action);
  const practitioner = f.practitionerId ?? (f.entityType === 'practitioner' ? entityNumber(f) : null);
  if (f.entityType === 'appointment' || f.entityType === 'availability_exception') {
    const date = [d.date, obj(d.after).date, obj(d.kept).date].find(isDate);
    return practitioner && date ? `/calendar?practitioner=${practitioner}&date=${date}` : null;
  }
  if (f.action === 'availability_exception.cleared')
    return practitioner && isDate(d.from) ? `/calendar?practitioner=${practitioner}&month=${d.from.slice(0, 7)}` : null;
  if (f.action === 'weekly_schedule.replaced' || f.action === 'weekly_schedule.copied')
    return practitioner ? `/settings/availability?practitioner=${practitioner}` : null;
  if (kind === 'google') return f.practitionerId ? `/settings/availability?practitioner=${f.practitionerId}` : null;
  if (kind === 'patients') {
    const patient = f.patientId ?? (f.entityType === 'patient' ? entityNumber(f) : null);
    return patient ? `/settings/clinic/activity?patient_id=${patient}` : null;
  }
  if (f.action.startsWith('clinic.calendar_')) {
    const year = typeof d.year === 'number' ? String(d.year) : isDate(d.date) ? d.date.slice(0, 4) : null;
    return year ? `/settings/clinic/holidays?year=${year}` : '/settings/clinic/holidays';
  }
  if (kind === 'members') return '/settings/clinic/members';
  if (kind === 'types') return '/settings/clinic/types';
  if (kind === 'settings') return '/settings/clinic';
  if (kind === 'agent_keys') return '/settings/agent-keys';
  if (kind === 'deliveries') return '/settings/deliveries';
  return null;
}

/** Details are answered as written, but a key that names a secret never carries its value out (none does today). */
export function visibleDetails(details: Record<string, unknown>): Record<string, unknown> {
  const hide = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(hide);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v as Json).map(([k, x]) => [
        k,
        /(^|_)(token|secret|password|encrypted)(_|$)/i.test(k) && typeof x === 'string' ? '[hidden]' : hide(x),
      ]),
    );
  };
  return hide(details) as Record<string, unknown>;
}
