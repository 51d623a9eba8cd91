import 'server-only';
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { assertClinicAdmin } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { agentKeys, appointments, appointmentTypes, auditLog, patients, users } from '../db/schema';
import { AppError } from '../errors';
import { encodeActivityCursor, type ActivityQuery } from '../schemas/activity';
import type { ActivityEntryDto, ActivityPageDto } from '../schemas/responses';
import { clinicDayStart, clinicNow } from '../time/clinic-clock';
import { addDays } from '../time/dates';
import { formatTime } from '../availability/time';
import { activityLink, activitySentence, KIND_PREFIXES, kindOf, visibleDetails, type ActivityFacts, type ActivityText } from './activity-text';
import { getClinicSettings } from './clinic';

export type { ActivityText } from './activity-text';

const actorUser = alias(users, 'actor_user');
const practitioner = alias(users, 'practitioner');

/** A positive integer id written as text or a number in an entry, or null. */
const idIn = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647 ? n : null;
};
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * The clinic's audit log for its admins, newest first (ties by id, so pages never repeat or skip an
 * entry), narrowed by practitioner, patient, kind and a range of clinic dates (both included, turned
 * into instants with the clinic's time zone). A practitioner or patient id of another clinic is not
 * found (404), like any other clinic's id. Each entry comes with who did it, a sentence in the
 * reader's language and the page it concerns.
 */
export async function listActivity(db: DbOrTx, caller: Caller, query: ActivityQuery, text: ActivityText): Promise<ActivityPageDto> {
  assertClinicAdmin(caller, 'reads the activity log');
  const clinic = await getClinicSettings(db, caller.clinicId);
  await assertOwnIds(db, caller.clinicId, query);

  const where: SQL[] = [eq(auditLog.clinicId, caller.clinicId)];
  if (query.practitioner_id) where.push(eq(auditLog.practitionerId, query.practitioner_id));
  if (query.patient_id) where.push(eq(auditLog.patientId, query.patient_id));
  if (query.kind) where.push(or(...KIND_PREFIXES[query.kind].map((p) => sql`starts_with(${auditLog.action}, ${p})`))!);
  if (query.from) where.push(gte(auditLog.createdAt, clinicDayStart(clinic.timezone, query.from)));
  if (query.to) where.push(lt(auditLog.createdAt, clinicDayStart(clinic.timezone, addDays(query.to, 1))));
  if (query.cursor) where.push(sql`(${auditLog.createdAt}, ${auditLog.id}) < (${query.cursor.at}::timestamptz, ${query.cursor.id})`);

  const rows = await db
    .select({
      id: auditLog.id,
      createdAt: auditLog.createdAt,
      /** exact to the microsecond, for the cursor (a Date keeps milliseconds only) */
      exactAt: sql<string>`to_char(${auditLog.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      actorType: auditLog.actorType,
      actorUserId: auditLog.actorUserId,
      actorUserName: actorUser.name,
      actorAgentKeyId: auditLog.actorAgentKeyId,
      actorAgentKeyName: agentKeys.name,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      details: auditLog.details,
      practitionerId: auditLog.practitionerId,
      practitionerName: practitioner.name,
      patientId: auditLog.patientId,
      patientName: patients.fullName,
    })
    .from(auditLog)
    .leftJoin(actorUser, eq(actorUser.id, auditLog.actorUserId))
    .leftJoin(agentKeys, eq(agentKeys.id, auditLog.actorAgentKeyId))
    .leftJoin(practitioner, and(eq(practitioner.id, auditLog.practitionerId), eq(practitioner.clinicId, auditLog.clinicId)))
    .leftJoin(patients, and(eq(patients.id, auditLog.patientId), eq(patients.clinicId, auditLog.clinicId)))
    .where(and(...where))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(query.limit + 1);

  const page = rows.slice(0, query.limit);
  const names = await lookUpNames(db, caller.clinicId, page);
  const entries = page.map((r): ActivityEntryDto => {
    const local = clinicNow(clinic.timezone, r.createdAt);
    const details = obj(r.details);
    const appointment = r.entityType === 'appointment' ? names.appointments.get(idIn(r.entityId) ?? 0) : undefined;
    const typeId = idIn(details.appointment_type_id) ?? (r.entityType === 'appointment_type' ? idIn(r.entityId) : null);
    const memberId = r.entityType === 'user' ? idIn(r.entityId) : idIn(details.member_id);
    const facts: ActivityFacts = {
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      details,
      practitionerId: r.practitionerId,
      patientId: r.patientId,
      clinicDate: local.date,
      practitioner: r.practitionerName,
      patient: r.patientName ?? appointment?.patient ?? null,
      type: (typeId ? names.types.get(typeId) : undefined) ?? appointment?.type ?? null,
      member: (memberId ? names.users.get(memberId) : undefined) ?? null,
    };
    const link = activityLink(facts);
    return {
      id: r.id,
      at: r.createdAt.toISOString(),
      clinic_date: local.date,
      clinic_time: formatTime(local.minutes),
      actor: actorOf(r, text),
      action: r.action,
      kind: kindOf(r.action),
      summary: activitySentence(text, facts),
      practitioner_id: r.practitionerId,
      practitioner_name: r.practitionerName,
      patient_id: r.patientId,
      patient_name: r.patientName,
      entity_type: r.entityType,
      entity_id: r.entityId,
      details: visibleDetails(details),
      ...(link ? { link } : {}),
    };
  });
  const last = rows.length > query.limit ? page[page.length - 1] : undefined;
  return { entries, next_cursor: last ? encodeActivityCursor({ at: last.exactAt, id: last.id }) : null };
}

function actorOf(
  r: {
    actorType: string;
    actorUserId: number | null;
    actorUserName: string | null;
    actorAgentKeyId: number | null;
    actorAgentKeyName: string | null;
  },
  text: ActivityText,
): ActivityEntryDto['actor'] {
  if (r.actorType === 'user' && r.actorUserId) return { type: 'user', id: r.actorUserId, name: r.actorUserName ?? text.t('actorUnknown') };
  if (r.actorType === 'agent' && r.actorAgentKeyId)
    return { type: 'agent', id: r.actorAgentKeyId, name: r.actorAgentKeyName ?? text.t('actorUnknown') };
  if (r.actorType === 'google') return { type: 'google', name: text.t('actorGoogle') };
  return { type: 'system', name: text.t('actorSystem') };
}

/** Filters name the clinic's own practitioners (active or not) and patients; anyone else's are not found. */
async function assertOwnIds(db: DbOrTx, clinicId: number, query: ActivityQuery): Promise<void> {
  if (query.practitioner_id) {
    const [row] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, query.practitioner_id), eq(users.clinicId, clinicId)));
    if (!row) throw new AppError('not_found', 'Practitioner not found');
  }
  if (query.patient_id) {
    const [row] = await db
      .select({ id: patients.id })
      .from(patients)
      .where(and(eq(patients.id, query.patient_id), eq(patients.clinicId, clinicId)));
    if (!row) throw new AppError('not_found', 'Patient not found');
  }
}

/**
 * The names a page's sentences need beyond its joins: appointment types (by id, or through the
 * appointment an entry concerns, with its patient) and members (an entry about a member). At most
 * three small queries, each limited to the clinic and to the ids on the page.
 */
async function lookUpNames(
  db: DbOrTx,
  clinicId: number,
  page: Array<{ entityType: string; entityId: string | null; details: unknown }>,
): Promise<{ appointments: Map<number, { patient: string; type: string }>; types: Map<number, string>; users: Map<number, string> }> {
  const appointmentIds = new Set<number>();
  const typeIds = new Set<number>();
  const userIds = new Set<number>();
  for (const r of page) {
    const details = obj(r.details);
    const entity = idIn(r.entityId);
    if (entity && r.entityType === 'appointment') appointmentIds.add(entity);
    if (entity && r.entityType === 'appointment_type') typeIds.add(entity);
    if (entity && r.entityType === 'user') userIds.add(entity);
    const typeId = idIn(details.appointment_type_id);
    if (typeId) typeIds.add(typeId);
    const memberId = idIn(details.member_id);
    if (memberId) userIds.add(memberId);
  }
  const [appointmentRows, typeRows, userRows] = await Promise.all([
    appointmentIds.size
      ? db
          .select({ id: appointments.calendarEventId, patient: patients.fullName, type: appointmentTypes.name })
          .from(appointments)
          .innerJoin(patients, eq(patients.id, appointments.patientId))
          .innerJoin(appointmentTypes, eq(appointmentTypes.id, appointments.appointmentTypeId))
          .where(and(inArray(appointments.calendarEventId, [...appointmentIds]), eq(patients.clinicId, clinicId)))
      : [],
    typeIds.size
      ? db
          .select({ id: appointmentTypes.id, name: appointmentTypes.name })
          .from(appointmentTypes)
          .where(and(inArray(appointmentTypes.id, [...typeIds]), eq(appointmentTypes.clinicId, clinicId)))
      : [],
    userIds.size
      ? db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(and(inArray(users.id, [...userIds]), eq(users.clinicId, clinicId)))
      : [],
  ]);
  return {
    appointments: new Map(appointmentRows.map((r) => [r.id, { patient: r.patient, type: r.type }])),
    types: new Map(typeRows.map((r) => [r.id, r.name])),
    users: new Map(userRows.map((r) => [r.id, r.name])),
  };
}

export interface ActivityFilterChoices {
  /** the clinic's practitioners, deactivated ones too (their history stays) */
  practitioners: Array<{ id: number; name: string; deactivated: boolean }>;
  /** the name of the patient filtered by, if any */
  patient: { id: number; name: string } | null;
}

/** What the activity page's filters offer: every practitioner the clinic has had, and the patient filtered by. */
export async function activityFilterChoices(db: DbOrTx, caller: Caller, patientId?: number): Promise<ActivityFilterChoices> {
  assertClinicAdmin(caller, 'reads the activity log');
  const [practitioners, [patient]] = await Promise.all([
    db
      .select({ id: users.id, name: users.name, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(and(eq(users.clinicId, caller.clinicId), eq(users.isPractitioner, true)))
      .orderBy(sql`${users.deactivatedAt} IS NOT NULL`, users.name, users.id),
    patientId
      ? db
          .select({ id: patients.id, name: patients.fullName })
          .from(patients)
          .where(and(eq(patients.id, patientId), eq(patients.clinicId, caller.clinicId)))
      : [],
  ]);
  return { practitioners: practitioners.map((p) => ({ id: p.id, name: p.name, deactivated: p.deactivatedAt !== null })), patient: patient ?? null };
}
